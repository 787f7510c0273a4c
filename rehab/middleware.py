"""Language and time zone of each request."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from rehab import access


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
