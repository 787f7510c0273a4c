"""The absolute lifetime of a signed-in session.

The idle timeout (SESSION_COOKIE_AGE, pushed forward by every request) ends a forgotten
session on a shared PC; this ends one that is kept busy, REHAB_SESSION_ABSOLUTE_HOURS after
the sign-in, whatever happens in between.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# When the user signed in, as a POSIX timestamp (JSON-serialisable, time-zone free).
SIGNED_IN_AT = "rehab_signed_in_at"


def htmx_aware_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a page; tell htmx (401 with HX-Redirect) to load the URL as a whole page."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionLifetimeMiddleware:
    """Sign the user out REHAB_SESSION_ABSOLUTE_HOURS after they signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now().timestamp()
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            limit = datetime.timedelta(hours=settings.REHAB_SESSION_ABSOLUTE_HOURS)
            if now - signed_in_at > limit.total_seconds():
                logout(request)
                messages.info(request, _("Sesi Anda sudah berakhir. Silakan masuk lagi."))
                login_url = resolve_url(settings.LOGIN_URL)
                query = urlencode({"next": request.get_full_path()})
                return htmx_aware_redirect(request, f"{login_url}?{query}")
        response = self.get_response(request)
        # A sign-in during this request (the login view, the admin's login) starts the clock.
        if request.user.is_authenticated and SIGNED_IN_AT not in request.session:
            request.session[SIGNED_IN_AT] = now
        return response
