"""The second sign-in step: who is asked, enrolment, codes, recovery codes, lockout, reset."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab import mfa
from rehab.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PRIVILEGED = ["admin", "warden", "supervisor", "health"]
# A page of each kind: the today page, a WBP list, the admin site, a report file download.
GUARDED_URLS = [
    reverse("today"),
    reverse("inmates:list"),
    reverse("admin:index"),
    reverse("reports:download", args=[1, "pdf"]),
    reverse("password_change"),
    reverse("mfa_settings"),
]


@pytest.fixture
def mfa_on(settings: Any) -> None:
    settings.REHAB_REQUIRE_MFA = True


def _sign_in(client: Client, user: Any, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": user.username, "password": password})


def _code(device: TOTPDevice) -> str:
    """Return the code the user's phone shows now (the clock is frozen)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _enrolled(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = mfa.mfa_start_enrolment(user=user)
    codes = mfa.mfa_enrol(user=user, device=device, code=_code(device))
    assert codes is not None
    return device, codes


def _next_step(clock: Any) -> None:
    # A code is accepted once; the next sign-in happens at least one time step later.
    clock.shift(datetime.timedelta(seconds=31))


@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_password_alone_reaches_only_the_enrolment_page(
    client: Client, members: dict[str, Any], mfa_on: None, role: str
) -> None:
    assert _sign_in(client, members[role]).status_code == 302
    for url in GUARDED_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_enrol")), url
    assert client.get(reverse("mfa_enrol")).status_code == 200


@pytest.mark.parametrize("role", PRIVILEGED)
def test_an_enrolled_user_reaches_only_the_code_form_until_the_code_is_typed(
    client: Client, members: dict[str, Any], mfa_on: None, role: str, clock: Any
) -> None:
    _enrolled(members[role])
    _next_step(clock)
    _sign_in(client, members[role])
    for url in [*GUARDED_URLS, reverse("mfa_enrol")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_verify")), url
    assert "kode enam angka" in client.get(reverse("mfa_verify")).content.decode()
    # Writes are turned away too, and htmx is told to load the code form as a whole page.
    assert client.post(reverse("password_change")).status_code == 302
    htmx = client.get(reverse("today"), headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx["HX-Redirect"].startswith(reverse("mfa_verify"))


def test_staff_and_superusers_are_asked_too(client: Client, db: Any, mfa_on: None) -> None:
    _sign_in(client, UserFactory(username="pengelola", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa_enrol"))


@pytest.mark.parametrize("role", ["staff", "counselor"])
def test_staff_and_counsellors_are_not_asked(
    client: Client, members: dict[str, Any], mfa_on: None, role: str
) -> None:
    _sign_in(client, members[role])
    assert client.get(reverse("today")).status_code == 200
    assert client.get(reverse("mfa_verify"))["Location"] == reverse("today")


def test_with_the_policy_off_nobody_is_asked(client: Client, members: dict[str, Any]) -> None:
    _sign_in(client, members["warden"])
    assert client.get(reverse("today")).status_code == 200


def test_a_warden_enrols_then_signs_in_with_a_code(
    client: Client, members: dict[str, Any], mfa_on: None, clock: Any
) -> None:
    warden = members["warden"]
    _sign_in(client, warden)
    page = client.get(reverse("mfa_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=warden, confirmed=False)
    assert "<svg" in page and "<img" not in page  # the QR code is inline, nothing fetched
    secret = page.split('user-select-all">')[1].split("</code>")[0]
    assert len(secret.replace(" ", "")) == 32  # the key in text, for typing it in by hand

    wrong = client.post(reverse("mfa_enrol"), {"code": "000000"})
    assert "Kode tidak cocok" in wrong.content.decode()
    too_soon = client.post(reverse("mfa_enrol"), {"code": _code(device)})
    assert "Tunggu beberapa detik" in too_soon.content.decode()  # django-otp's pause
    clock.shift(datetime.timedelta(seconds=5))
    shown = client.post(reverse("mfa_enrol"), {"code": _code(device)})
    assert shown.status_code == 200
    assert shown.content.decode().count("<li>") == mfa.RECOVERY_CODE_COUNT
    assert StaticToken.objects.filter(device__user=warden).count() == 10
    assert client.get(reverse("today")).status_code == 200
    assert AuditEntry.objects.filter(action="rehab.mfa.enrolled", target_id=warden.pk).exists()

    client.post(reverse("logout"))
    _next_step(clock)
    _sign_in(client, warden)
    assert client.get(reverse("today"))["Location"].startswith(reverse("mfa_verify"))
    next_url = reverse("inmates:list")
    done = client.post(f"{reverse('mfa_verify')}?next={next_url}", {"code": _code(device)})
    assert done["Location"] == next_url
    assert client.get(reverse("today")).status_code == 200


def test_the_same_code_is_not_accepted_twice(
    client: Client, members: dict[str, Any], mfa_on: None
) -> None:
    device, _ = _enrolled(members["health"])
    _sign_in(client, members["health"])
    # The code that confirmed the enrolment a moment ago.
    refused = client.post(reverse("mfa_verify"), {"code": _code(device)})
    assert "Kode salah atau sudah pernah dipakai" in refused.content.decode()


def test_a_recovery_code_works_once_only(
    client: Client, members: dict[str, Any], mfa_on: None, clock: Any
) -> None:
    supervisor = members["supervisor"]
    _, codes = _enrolled(supervisor)
    _sign_in(client, supervisor)
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"  # as read off the paper
    response = client.post(reverse("mfa_verify"), {"code": typed}, follow=True)
    assert "sisa 9 kode" in response.content.decode()
    assert client.get(reverse("today")).status_code == 200

    client.post(reverse("logout"))
    _sign_in(client, supervisor)
    refused = client.post(reverse("mfa_verify"), {"code": codes[0]})
    assert "Kode salah atau sudah pernah dipakai" in refused.content.decode()
    clock.shift(datetime.timedelta(seconds=5))  # the device waits a moment after a wrong code
    assert client.post(reverse("mfa_verify"), {"code": codes[1]}).status_code == 302


def test_wrong_codes_lock_the_account_like_wrong_passwords(
    client: Client, members: dict[str, Any], mfa_on: None, clock: Any
) -> None:
    admin = members["admin"]
    _enrolled(admin)
    _sign_in(client, admin)
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        # Past django-otp's own pause after a wrong code, so that each one is checked.
        clock.shift(datetime.timedelta(seconds=20))
        if attempt == 2:
            # Signing in again with the right password does not wipe the count.
            client.post(reverse("logout"))
            _sign_in(client, admin)
        response = client.post(reverse("mfa_verify"), {"code": "123456"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert client.get(reverse("today"))["Location"].startswith(reverse("login"))
    assert _sign_in(client, admin).status_code == 429


def test_a_right_code_clears_the_failures(
    client: Client, members: dict[str, Any], mfa_on: None, clock: Any
) -> None:
    warden = members["warden"]
    device, _ = _enrolled(warden)
    _sign_in(client, warden)
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        clock.shift(datetime.timedelta(seconds=20))
        client.post(reverse("mfa_verify"), {"code": "123456"})
    clock.shift(datetime.timedelta(seconds=20))
    assert client.post(reverse("mfa_verify"), {"code": _code(device)}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, warden)
    clock.shift(datetime.timedelta(seconds=20))
    assert client.post(reverse("mfa_verify"), {"code": "123456"}).status_code == 200


def test_a_user_makes_new_recovery_codes_and_the_old_ones_stop_working(
    client: Client, members: dict[str, Any], mfa_on: None, clock: Any
) -> None:
    health = members["health"]
    device, old = _enrolled(health)
    _next_step(clock)
    _sign_in(client, health)
    client.post(reverse("mfa_verify"), {"code": _code(device)})
    assert "Sisa 10 kode pemulihan" in client.get(reverse("mfa_settings")).content.decode()
    page = client.post(reverse("mfa_recovery_codes")).content.decode()
    new = set(StaticToken.objects.filter(device__user=health).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert all(f"{code[:4]}-{code[4:]}" in page for code in new)
    assert AuditEntry.objects.filter(action="rehab.mfa.recovery_regenerated").count() == 1


def test_an_administrator_resets_a_members_second_step(
    client: Client, members: dict[str, Any], stranger: Any
) -> None:
    _enrolled(members["warden"])
    _enrolled(stranger)
    client.force_login(members["admin"])
    assert reverse("mfa_reset") in client.get(reverse("mfa_settings")).content.decode()
    done = client.post(reverse("mfa_reset"), {"username": "warden.a"}, follow=True)
    assert "direset" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=members["warden"]).exists()
    assert not StaticDevice.objects.filter(user=members["warden"]).exists()
    entry = AuditEntry.objects.get(action="rehab.mfa.reset")
    assert (entry.actor, entry.target_id) == (members["admin"], members["warden"].pk)
    # A member of another facility is not the administrator's to reset.
    refused = client.post(reverse("mfa_reset"), {"username": "staff.b"})
    assert "Tidak ada pengguna dengan nama itu" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=stranger).exists()


def test_only_an_administrator_may_reset(client: Client, members: dict[str, Any]) -> None:
    client.force_login(members["warden"])
    assert reverse("mfa_reset") not in client.get(reverse("mfa_settings")).content.decode()
    assert client.post(reverse("mfa_reset"), {"username": "health.a"}).status_code == 403


def test_after_a_reset_the_user_enrols_again_at_the_next_sign_in(
    client: Client, members: dict[str, Any], mfa_on: None, clock: Any
) -> None:
    warden = members["warden"]
    _enrolled(warden)
    mfa.mfa_reset(actor=members["admin"], user=warden)
    _sign_in(client, warden)
    assert client.get(reverse("today"))["Location"].startswith(reverse("mfa_enrol"))


def test_the_demo_login_page_says_the_second_step_is_off(client: Client, settings: Any) -> None:
    settings.REHAB_DEMO = True
    page = client.get(reverse("login")).content.decode()
    assert "Demo: verifikasi dua langkah tidak diwajibkan" in page
    settings.REHAB_REQUIRE_MFA = True
    assert "tidak diwajibkan" not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({}, True),  # production: DEBUG off, no demo
        ({"REHAB_DEMO": "1"}, False),  # make run
        ({"DEBUG": "true"}, False),
        ({"REHAB_DEMO": "1", "REHAB_REQUIRE_MFA": "true"}, True),
        ({"REHAB_REQUIRE_MFA": "false"}, False),
    ],
)
def test_the_policy_defaults_to_on_outside_debug_and_the_demo(
    env: dict[str, str], required: bool
) -> None:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "REHAB_DEMO", "REHAB_REQUIRE_MFA"}
    }
    code = "from rehab import settings; print(settings.REHAB_REQUIRE_MFA)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    assert result.stdout.strip() == str(required)
