"""Password rules: Indonesian common words, one repeated character, the demo password."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from rehab.demo import DEMO_PASSWORD
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _change(client: Client, new: str) -> Any:
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Indonesia2026!", "terlalu umum"),
        ("BISMILLAH12345", "terlalu umum"),
        ("merahputih1945", "terlalu umum"),
        ("admin12345", "terlalu umum"),
        ("qwertyuiop", "terlalu umum"),
        ("aaaaaaaaaaaa", "satu karakter yang diulang"),
        ("777777777777777", "satu karakter yang diulang"),
        (DEMO_PASSWORD, "Kata sandi demo tidak boleh dipakai di luar demo"),
    ],
)
def test_a_guessable_new_password_is_refused_with_an_indonesian_reason(
    client: Client, new_password: str, message: str
) -> None:
    user = UserFactory(username="karutan")
    client.force_login(user)
    response = _change(client, new_password)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_indonesian_list_is_compared_without_regard_to_case() -> None:
    with pytest.raises(ValidationError, match="terlalu umum"):
        validate_password("RaHaSiA-2026-!!")


def test_the_demo_password_is_allowed_in_the_demo(settings: Any) -> None:
    settings.REHAB_DEMO = True
    validate_password(DEMO_PASSWORD)


def test_a_password_with_a_common_word_inside_a_phrase_is_accepted(client: Client) -> None:
    client.force_login(UserFactory(username="karutan"))
    assert _change(client, "sayang-kopi-pagi-di-grogot").status_code == 302


def test_a_password_close_to_the_users_name_is_refused(client: Client) -> None:
    client.force_login(UserFactory(username="syamsuddin.andi"))
    response = _change(client, "syamsuddin.andi1")
    assert response.status_code == 200
    assert "terlalu mirip" in response.content.decode()
