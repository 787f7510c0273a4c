"""Pages of the second sign-in step: the code form, enrolment, recovery codes, the admin reset."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials, get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from rehab import access, mfa
from rehab.mfa_forms import CodeForm, EnrolForm, ResetForm


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(text: str) -> str:
    # segno writes only paths from the URL's bits: nothing of the user's text reaches the markup.
    svg = segno.make(text, error="m").svg_inline(
        scale=5, light="#fff", svgclass="mfa-qr", title=_("Kode QR untuk aplikasi autentikator")
    )
    return mark_safe(svg)


def _recovery_codes_page(request: HttpRequest, codes: list[str]) -> TemplateResponse:
    shown = [f"{code[:4]}-{code[4:]}" for code in codes]
    context = {"codes": shown, "next": _next_url(request)}
    return TemplateResponse(request, "registration/mfa_recovery_codes.html", context)


def _lock_out(request: HttpRequest, credentials: dict[str, Any]) -> HttpResponse:
    logout(request)
    return get_lockout_response(request, None, credentials)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the second step; wrong codes count like wrong passwords."""
    user = request.user
    if not mfa.pending(request):
        return HttpResponseRedirect(_next_url(request))
    if not mfa.is_enrolled(user):
        return redirect("mfa_enrol")
    credentials = get_credentials(user.get_username())
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _lock_out(request, credentials)
    form = CodeForm(request.POST or None, submit_label=_("Verifikasi"))
    if form.is_valid():
        try:
            device = mfa.mfa_check(user=user, code=form.cleaned_data["code"])
        except mfa.Throttled:
            form.add_error("code", _("Tunggu beberapa detik, lalu coba lagi."))
        else:
            if device is not None:
                return _verified(request, device)
            if mfa.report_wrong_code(request, user):
                return _lock_out(request, credentials)
            form.add_error("code", _("Kode salah atau sudah pernah dipakai."))
    context = {"form": form, "next": _next_url(request)}
    return TemplateResponse(request, "registration/mfa_verify.html", context)


def _verified(request: HttpRequest, device: Any) -> HttpResponse:
    django_otp.login(request, device)
    mfa.clear_failures(request, request.user)
    if isinstance(device, StaticDevice):
        left = mfa.recovery_codes_left(request.user)
        messages.warning(
            request,
            _(
                "Anda masuk dengan kode pemulihan; sisa %(left)d kode. Buat kode baru di "
                "halaman Verifikasi dua langkah bila hampir habis."
            )
            % {"left": left},
        )
    return HttpResponseRedirect(_next_url(request))


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: QR code and secret, a code to confirm, then recovery codes."""
    user = request.user
    if mfa.is_enrolled(user):
        return redirect("mfa_verify" if mfa.pending(request) else "mfa_settings")
    device = mfa.mfa_start_enrolment(user=user)
    form = EnrolForm(request.POST or None, submit_label=_("Aktifkan"))
    if form.is_valid():
        try:
            codes = mfa.mfa_enrol(user=user, device=device, code=form.cleaned_data["code"])
        except mfa.Throttled:
            form.add_error("code", _("Tunggu beberapa detik, lalu coba lagi."))
        else:
            if codes is not None:
                django_otp.login(request, device)
                request.session[mfa.NEEDS_SECOND_STEP] = True
                return _recovery_codes_page(request, codes)
            form.add_error(
                "code",
                _("Kode tidak cocok. Pastikan jam ponsel tepat, lalu ketik kode yang tampil."),
            )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": mfa.required(user),
        "next": _next_url(request),
    }
    return TemplateResponse(request, "registration/mfa_enrol.html", context)


def settings_page(request: HttpRequest) -> TemplateResponse:
    """Show whether the second step is on, and how many recovery codes are left."""
    user = request.user
    context = {
        "enrolled": mfa.is_enrolled(user),
        "required": mfa.required(user),
        "codes_left": mfa.recovery_codes_left(user),
        "can_reset": user.is_superuser or access.facility_ids_for(user, "account.mfa_reset"),
    }
    return TemplateResponse(request, "registration/mfa_settings.html", context)


@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the user's recovery codes and show the new ones once."""
    if not mfa.is_enrolled(request.user):
        messages.error(request, _("Aktifkan verifikasi dua langkah lebih dulu."))
        return redirect("mfa_settings")
    return _recovery_codes_page(request, mfa.mfa_regenerate_recovery_codes(user=request.user))


def reset(request: HttpRequest) -> HttpResponse:
    """Let an administrator remove a member's authenticator (a lost phone)."""
    actor = request.user
    if not actor.is_superuser:
        access.require_somewhere(actor, "account.mfa_reset")
    form = ResetForm(request.POST or None)
    if form.is_valid():
        target = _resettable(actor, form.cleaned_data["username"])
        if target is None:
            form.add_error("username", _("Tidak ada pengguna dengan nama itu di UPT Anda."))
        else:
            mfa.mfa_reset(actor=actor, user=target)
            messages.success(
                request,
                _("Verifikasi dua langkah %(user)s direset: ia mendaftar lagi saat masuk.")
                % {"user": target.get_username()},
            )
            return redirect("mfa_reset")
    return TemplateResponse(request, "registration/mfa_reset.html", {"form": form})


def _resettable(actor: Any, username: str) -> Any:
    """Return the user the actor may reset: a superuser anyone, an admin their facilities'."""
    users = get_user_model().objects.filter(username=username)
    if not actor.is_superuser:
        facility_ids = access.facility_ids_for(actor, "account.mfa_reset")
        users = users.filter(
            memberships__facility_id__in=facility_ids, is_staff=False, is_superuser=False
        )
    return users.distinct().first()
