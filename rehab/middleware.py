"""Request id, language, time zone and caching of each request."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from rehab import access, log


class RequestIdMiddleware:
    """Give each request an id: the caller's X-Request-ID if it is a safe token, else a new
    one. It is on every log line written while the request is answered and on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = log.request_id_from(request.headers.get("X-Request-ID"))
        # From here on the request's header is the trusted id (Django's own 404 line, written
        # after this middleware returns, reads it there).
        request.META["HTTP_X_REQUEST_ID"] = request_id
        token = log.current_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            log.current_id.reset(token)
        response["X-Request-ID"] = request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Django logs a 404 without its exception: keep the view's reason for that line.
        if isinstance(exception, Http404 | PermissionDenied):
            request.META[log.REASON_KEY] = log.reason_of(exception)


class FacilityTimezoneMiddleware:
    """Activate the time zone of the user's first facility (WIB, WITA or WIT)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz_name = None
        if request.user.is_authenticated:
            tz_name = request.session.get("facility_tz")
            if tz_name is None:
                tz_name = (
                    access.memberships(request.user)
                    .values_list("facility__time_zone", flat=True)
                    .first()
                ) or ""
                request.session["facility_tz"] = tz_name
        if tz_name:
            timezone.activate(tz_name)
        else:
            timezone.deactivate()
        return self.get_response(request)


class LanguageMiddleware:
    """Speak Bahasa Indonesia unless the user chose English with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and the shared PCs in
    the Rutan offices often run an English browser for users who read Indonesian first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Files with personal data: PDFs, XLSX (and other OOXML) exports, ZIP archives.
PERSONAL_FILE_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.",
    "application/zip",
)


class NoStoreMiddleware:
    """Let no browser or proxy keep a copy of a signed-in page or a file with personal data.

    The offices share PCs: without this, the browser's back button or its cache would show the
    next person a case file after the first one signed out. Static files are answered earlier
    (WhiteNoise) and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = request.user.is_authenticated
        if signed_in or response.get("Content-Type", "").startswith(PERSONAL_FILE_TYPES):
            patch_cache_control(response, no_store=True, private=True)
        return response
