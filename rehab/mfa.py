"""The second sign-in step: a code from an authenticator app (TOTP), or a one-time recovery code.

Who must use it: anyone holding an active admin, warden, supervisor or health membership, and
Django staff and superusers, when REHAB_REQUIRE_MFA is on (settings.py says how it defaults);
anyone who enrolled a device of their own accord is asked for it too. Until the step is done
the session reaches only the code form, the enrolment page and logout (SecondStepMiddleware).
Wrong codes count towards the same axes lockout as wrong passwords.

The devices are django-otp's: one TOTPDevice per user, and one StaticDevice holding the
recovery codes (each deleted as it is used).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_credentials
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab import audit
from rehab.models import Membership, Role
from rehab.sessions import htmx_aware_redirect

log = logging.getLogger(__name__)

PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.WARDEN, Role.SUPERVISOR, Role.HEALTH})
RECOVERY_CODE_COUNT = 10
# Whether this session's user owes the second step, decided once per session (like the time
# zone in FacilityTimezoneMiddleware) so that ordinary pages cost no extra query.
NEEDS_SECOND_STEP = "rehab_mfa_needed"
# The URLs a session that still owes the second step may open.
OPEN_URL_NAMES = ("mfa_verify", "mfa_enrol", "logout", "set_language", "healthz")

audit.register_action_labels(
    {
        "rehab.mfa.enrolled": _("Verifikasi dua langkah diaktifkan"),
        "rehab.mfa.recovery_regenerated": _("Kode pemulihan dibuat ulang"),
        "rehab.mfa.reset": _("Verifikasi dua langkah direset oleh administrator"),
    }
)


class Throttled(Exception):
    """The device refuses codes for a few seconds after a wrong one."""


def required(user: Any) -> bool:
    """Tell whether the policy makes this user use the second step."""
    if not settings.REHAB_REQUIRE_MFA:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.active().filter(user_id=user.pk, role__in=PRIVILEGED_ROLES).exists()


def is_enrolled(user: Any) -> bool:
    """Tell whether the user has confirmed an authenticator app."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def needs_second_step(user: Any) -> bool:
    """Tell whether signing in as this user takes a code after the password."""
    return required(user) or is_enrolled(user)


def pending(request: HttpRequest) -> bool:
    """Tell whether the signed-in user still owes the second step in this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    needed = request.session.get(NEEDS_SECOND_STEP)
    if needed is None:
        needed = needs_second_step(user)
        request.session[NEEDS_SECOND_STEP] = needed
    # is_verified() is put on the user by django_otp.middleware.OTPMiddleware.
    return bool(needed) and not user.is_verified()  # type: ignore[attr-defined,union-attr]


def normalise(code: str) -> str:
    """Return a typed code without the spaces and dashes people add."""
    return re.sub(r"[\s-]", "", code).lower()


def recovery_codes_left(user: Any) -> int:
    """Return how many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user_id=user.pk).count()


def _audit(*, actor: Any, user: Any, action: str, summary: str) -> None:
    # An audit entry belongs to a facility: the user's first one, else the actor's. A
    # superuser without any membership leaves no entry; the log line still says it happened.
    log.info("%s user=%s by=%s", action, user.pk, actor.pk)
    for person in (user, actor):
        facility_id = (
            Membership.objects.filter(user_id=person.pk)
            .order_by("pk")
            .values_list("facility_id", flat=True)
            .first()
        )
        if facility_id is not None:
            audit.record(
                facility=facility_id, actor=actor, action=action, target=user, summary=summary
            )
            return


def _new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with a fresh set and return them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Kode pemulihan", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_start_enrolment(*, user: Any) -> TOTPDevice:
    """Return the user's unconfirmed authenticator device, creating it the first time."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=False)
    return device


@transaction.atomic
def mfa_enrol(*, user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app; return the new recovery codes, or None."""
    if not device.verify_is_allowed()[0]:
        raise Throttled
    if not device.verify_token(normalise(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    _audit(actor=user, user=user, action="rehab.mfa.enrolled", summary=str(device.name))
    return codes


@transaction.atomic
def mfa_regenerate_recovery_codes(*, user: Any) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working) and return the new ones."""
    codes = _new_recovery_codes(user)
    _audit(actor=user, user=user, action="rehab.mfa.recovery_regenerated", summary=user.username)
    return codes


@transaction.atomic
def mfa_reset(*, actor: Any, user: Any) -> None:
    """Remove the user's devices and codes: they enrol again at their next sign-in."""
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    _audit(actor=actor, user=user, action="rehab.mfa.reset", summary=user.username)


def mfa_check(*, user: Any, code: str) -> Device | None:
    """Return the device that accepts the code (six digits: the app; else a recovery code)."""
    code = normalise(code)
    devices: list[Device]
    if re.fullmatch(r"\d{6}", code):
        devices = list(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user_id=user.pk, confirmed=True))
    for device in devices:
        if not device.verify_is_allowed()[0]:
            raise Throttled
        with transaction.atomic():
            if device.verify_token(code):
                return device
    return None


def report_wrong_code(request: HttpRequest, user: Any) -> bool:
    """Count a wrong code as a failed sign-in for axes; tell whether the user is now locked."""
    user_login_failed.send(
        sender=__name__, credentials=get_credentials(user.get_username()), request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def clear_failures(request: HttpRequest, user: Any) -> None:
    """Forget the failed attempts of this user from this address, as a full sign-in does."""
    if settings.AXES_RESET_ON_SUCCESS:
        axes_reset(ip=get_client_ip_address(request), username=user.get_username())


class AxesHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a correct password alone does not wipe the count.

    Otherwise someone who knows the password could guess codes forever: four wrong codes,
    sign in again (count reset), four more. The count is cleared when the second step passes.
    """

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and DEVICE_ID_SESSION_KEY not in request.session
            and needs_second_step(user)
        ):
            return 0
        return super().reset_user_attempts(request, credentials)


class SecondStepMiddleware:
    """Send a session that still owes the second step to the code form (or the enrolment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if pending(request) and request.path_info not in {reverse(n) for n in OPEN_URL_NAMES}:
            user = request.user
            if is_enrolled(user):
                target = reverse("mfa_verify")
            elif required(user):
                target = reverse("mfa_enrol")
            else:
                # A voluntary device was removed (an administrator's reset): nothing is owed.
                request.session[NEEDS_SECOND_STEP] = False
                return self.get_response(request)
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return htmx_aware_redirect(request, target)
        return self.get_response(request)
