"""Walk every URL pattern x every role x own facility / other facility / anonymous.

The expectations come from the role x action matrix in rehab/access.py; a URL added to the
project without a row in ROUTES below fails test_every_url_pattern_is_in_the_table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rehab.access import PERMISSIONS
from tests.conftest import ROLES
from tests.factories import MembershipFactory, UserFactory
from tests.routes import POST_ONLY, ROUTES, WRITE_ROUTES
from tests.routes import route_url as _url


def _names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's admin checks is_staff itself; see test_admin_is_for_staff
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def objects(route_objects: dict[str, Any]) -> dict[str, Any]:
    return route_objects


def test_every_url_pattern_is_in_the_table() -> None:
    assert set(_names(get_resolver())) == set(ROUTES)


def test_every_action_in_the_table_is_in_the_matrix() -> None:
    assert {action for _, action in ROUTES.values() if action} <= set(PERMISSIONS)


CASES = [(name, role) for name in sorted(ROUTES) for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_a_member_of_the_facility_gets_exactly_what_the_matrix_allows(
    client: Client, members: dict[str, Any], objects: dict[str, Any], name: str, role: str
) -> None:
    kind, action = ROUTES[name]
    client.force_login(members[role])
    url = _url(name, kind, objects)
    allowed = action is None or role in PERMISSIONS[action]
    methods = ["get", "post"] if name in WRITE_ROUTES else ["get"]
    if name in POST_ONLY:
        methods = ["post"]
    for method in methods:
        response = getattr(client, method)(url)
        if allowed:
            assert response.status_code in (200, 302), (method, url, response.status_code)
            if response.status_code == 302 and name != "logout":
                assert "/akun/masuk/" not in response["Location"]
        else:
            assert response.status_code == 403, (method, url, response.status_code)


OBJECT_ROUTES = sorted(
    n for n, (kind, _) in ROUTES.items() if kind not in {"public", "signed_in", "list"}
)


@pytest.mark.parametrize(("name", "role"), [(n, r) for n in OBJECT_ROUTES for r in ROLES])
def test_an_object_of_another_facility_answers_404_to_every_role(
    client: Client, members: dict[str, Any], objects: dict[str, Any], name: str, role: str
) -> None:
    kind, _ = ROUTES[name]
    client.force_login(members[role])
    url = _url(name, kind, objects, which="other")
    if name not in POST_ONLY:
        assert client.get(url).status_code == 404
    if name in WRITE_ROUTES:
        assert client.post(url).status_code == 404


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    client: Client, objects: dict[str, Any], name: str
) -> None:
    kind, _ = ROUTES[name]
    response = client.get(_url(name, kind, objects))
    if kind == "public":
        assert response.status_code in (200, 302)
        assert "/akun/masuk/?next=" not in response.get("Location", "")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_user_without_any_membership_is_refused_every_facility_view(
    client: Client, objects: dict[str, Any]
) -> None:
    client.force_login(UserFactory(username="tanpa.peran"))
    for name, (kind, action) in ROUTES.items():
        if action is None:
            continue
        expected = 403 if kind == "list" else 404
        method = client.post if name in POST_ONLY else client.get
        assert method(_url(name, kind, objects)).status_code == expected, name


def test_an_inactive_membership_gives_no_access(
    client: Client, facility_a: Any, objects: dict[str, Any]
) -> None:
    user = MembershipFactory(facility=facility_a, role="staff", active=False).user
    client.force_login(user)
    assert (
        client.get(reverse("inmates:detail", args=[objects["inmate"]["own"].pk])).status_code == 404
    )


def test_admin_is_for_staff_accounts_only(client: Client, members: dict[str, Any]) -> None:
    client.force_login(members["warden"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/assessments/assessorcredential/",
        "/admin/programs/track/",
        "/admin/programs/module/",
        "/admin/programs/facilityactivity/",
        "/admin/programs/cohort/",
        "/admin/rehab/membership/",
    ],
)
def test_the_administrator_manages_the_catalogue_credentials_and_calendar(
    client: Client, db: Any, url: str
) -> None:
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200
