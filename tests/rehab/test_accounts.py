"""Sign-in, lockout, password rules, idle sessions and the language switch."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, ip: str = "10.1.1.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_a_member_signs_in_and_lands_on_the_today_page(client: Client, facility_a: Any) -> None:
    MembershipFactory(user=UserFactory(username="staf"), facility=facility_a, role="staff")
    response = _login(client, "staf", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("today")
    page = client.get(reverse("today")).content.decode()
    assert "Hari ini" in page and facility_a.name in page


def test_a_wrong_password_is_explained_in_indonesian(client: Client) -> None:
    UserFactory(username="staf")
    response = _login(client, "staf", "salah-sekali-2026")
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_five_failures_lock_that_username_from_that_address_only(client: Client) -> None:
    UserFactory(username="staf")
    UserFactory(username="rekan")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "staf", "salah-sekali-2026")
    locked = _login(client, "staf", PASSWORD)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    # A colleague behind the same NAT address still gets in.
    assert _login(Client(), "rekan", PASSWORD).status_code == 302
    # The same account from another address is not locked either.
    assert _login(Client(), "staf", PASSWORD, ip="10.9.9.9").status_code == 302


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("pendek12", "terlalu pendek"),
        ("password1234", "terlalu umum"),
        ("123456789012345", "seluruhnya terdiri dari angka"),
    ],
)
def test_a_weak_new_password_is_refused_with_a_reason(
    client: Client, new_password: str, message: str
) -> None:
    user = UserFactory(username="staf")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_strong_new_password_is_accepted(client: Client) -> None:
    user = UserFactory(username="staf")
    client.force_login(user)
    new = "rutan-grogot-kopi-pagi-77"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_session_expires_after_30_minutes_without_activity(client: Client) -> None:
    client.force_login(UserFactory(username="staf"))
    client.get(reverse("today"))
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry forward


def test_the_language_switch_turns_the_interface_to_english(client: Client) -> None:
    client.force_login(UserFactory(username="staf"))
    assert "Hari ini" in client.get(reverse("today")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("today")})
    assert "Today" in client.get(reverse("today")).content.decode()


def test_an_english_browser_still_gets_bahasa_indonesia_until_the_user_switches(
    client: Client,
) -> None:
    client.force_login(UserFactory(username="staf"))
    page = client.get(reverse("today"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Hari ini" in page
    assert 'lang="id"' in page


def test_the_menu_offers_the_wbp_list_only_to_roles_that_can_open_it(
    client: Client, members: dict[str, Any]
) -> None:
    for role, user in members.items():
        client.force_login(user)
        page = client.get(reverse("today")).content.decode()
        assert (reverse("inmates:list") in page) == (role != "admin"), role
