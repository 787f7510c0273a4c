"""Show times in the time zone of the facility the user works in."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
