"""What the menu offers: only the places the user's roles can open."""

from typing import Any

from django.http import HttpRequest

from rehab import access


class Navigation:
    """Answer menu questions lazily, from the roles already loaded for the request."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @property
    def inmates(self) -> bool:
        return bool(access.facility_ids_for(self.user, "inmate.view"))

    @property
    def programmes(self) -> bool:
        return bool(access.facility_ids_for(self.user, "programme.view"))

    @property
    def courses(self) -> bool:
        return bool(access.facility_ids_for(self.user, "course.view"))

    @property
    def reports(self) -> bool:
        return bool(access.facility_ids_for(self.user, "report.view"))

    @property
    def access_log(self) -> bool:
        return bool(access.facility_ids_for(self.user, "accesslog.view"))

    @property
    def releases(self) -> bool:
        return bool(access.facility_ids_for(self.user, "release.view"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav": Navigation(request.user)}
