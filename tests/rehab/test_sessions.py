"""Session lifetime, sign-out everywhere on a password change, and the lockout's client address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from rehab.client_ip import client_ip
from rehab.sessions import SIGNED_IN_AT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_signing_in_starts_the_clock_of_the_session(client: Client, db: Any) -> None:
    UserFactory(username="staf")
    _sign_in(client, "staf")
    assert client.session[SIGNED_IN_AT] == timezone.now().timestamp()


def test_a_busy_session_still_ends_12_hours_after_signing_in(
    client: Client, members: dict[str, Any], clock: Any
) -> None:
    _sign_in(client, members["staff"].username)
    # A request every 20 minutes keeps the 30-minute idle timeout from ending it first.
    for _ in range(12 * 3):
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get(reverse("today")).status_code == 200
    clock.shift(datetime.timedelta(minutes=1))  # 12 h 1 min after signing in
    response = client.get(reverse("inmates:list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fwbp%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Sesi Anda sudah berakhir" in page
    assert client.get(reverse("today"))["Location"].startswith(reverse("login"))


def test_the_limit_follows_the_setting_and_tells_htmx_to_reload(
    client: Client, members: dict[str, Any], clock: Any, settings: Any
) -> None:
    settings.REHAB_SESSION_ABSOLUTE_HOURS = 1
    client.force_login(members["counselor"])
    client.get(reverse("today"))  # a session from before the sign-in was stamped: starts now
    clock.shift(datetime.timedelta(minutes=25))
    assert client.get(reverse("today")).status_code == 200
    clock.shift(datetime.timedelta(minutes=25))
    assert client.get(reverse("today")).status_code == 200
    clock.shift(datetime.timedelta(minutes=11))
    response = client.get(reverse("today"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_password_change_ends_the_users_other_sessions(client: Client, db: Any) -> None:
    UserFactory(username="nakes")
    other = Client()
    _sign_in(client, "nakes")
    _sign_in(other, "nakes")
    assert other.get(reverse("today")).status_code == 200
    new = "rutan-grogot-kopi-pagi-77"
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert client.get(reverse("today")).status_code == 200  # this one stays signed in
    assert other.get(reverse("today"))["Location"].startswith(reverse("login"))


PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.7", "", "198.51.100.7"),
        # Not from the proxy: whatever the client wrote in the header is ignored.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        (PROXY, "203.0.113.9", "203.0.113.9"),
        # A client that forges the header only adds to the left of what the proxy wrote.
        (PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two proxies we trust (a load balancer in front of nginx).
        (PROXY, "203.0.113.9, 10.20.0.3", "203.0.113.9"),
        (PROXY, "", PROXY),
        (PROXY, "rubbish, 10.20.0.3", "10.20.0.3"),
        ("2001:db8::5", "2001:db8:1::9", "2001:db8:1::9"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    settings: Any, remote: str, forwarded: str, expected: str
) -> None:
    settings.REHAB_TRUSTED_PROXIES = [PROXY, "10.20.0.0/16", "2001:db8::/64"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_with_no_trusted_proxy_the_header_is_never_read(settings: Any) -> None:
    settings.REHAB_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == PROXY


def test_behind_a_trusted_proxy_the_lockout_keys_on_the_forwarded_address(
    settings: Any, db: Any
) -> None:
    settings.REHAB_TRUSTED_PROXIES = [PROXY]
    UserFactory(username="staf")
    via = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), "staf", "salah-sekali-2026", **via)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert _sign_in(Client(), "staf", **via).status_code == 429
    # The same account from another office behind the same proxy still gets in.
    elsewhere = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert _sign_in(Client(), "staf", **elsewhere).status_code == 302


def test_from_an_untrusted_address_a_forged_header_does_not_escape_the_lockout(
    settings: Any, db: Any
) -> None:
    settings.REHAB_TRUSTED_PROXIES = [PROXY]
    UserFactory(username="staf")
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        _sign_in(Client(), "staf", "salah-sekali-2026", **forged)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert _sign_in(Client(), "staf", **forged).status_code == 429
