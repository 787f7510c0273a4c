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

from inmates.models import ImportBatch
from rehab.access import PERMISSIONS
from tests.conftest import ROLES
from tests.factories import (
    AssessmentFactory,
    HealthScreeningFactory,
    InmateFactory,
    MembershipFactory,
    ScreeningFactory,
    UrineTestFactory,
    UserFactory,
)

# url name -> (what the URL needs, the action it performs)
#   public:   open to anonymous visitors
#   signed_in: any signed-in user
#   list:     no object; allowed where the user holds the action in some facility
#   inmate / batch: an object of a facility; 404 for strangers, 403 without the action
ROUTES: dict[str, tuple[str, str | None]] = {
    "login": ("public", None),
    "set_language": ("public", None),
    "logout": ("signed_in", None),
    "today": ("signed_in", None),
    "password_change": ("signed_in", None),
    "password_change_done": ("signed_in", None),
    "inmates:list": ("list", "inmate.view"),
    "inmates:create": ("list", "inmate.create"),
    "inmates:duplicate_check": ("list", "inmate.view"),
    "inmates:import": ("list", "inmate.import"),
    "inmates:import_preview": ("batch", "inmate.import"),
    "inmates:detail": ("inmate", "inmate.view"),
    "inmates:edit": ("inmate", "inmate.change"),
    "inmates:transfer": ("inmate", "inmate.transfer"),
    "inmates:release": ("inmate", "inmate.release"),
    "inmates:history": ("inmate", "inmate.history"),
    "assessments:screening_create": ("inmate", "screening.record"),
    "assessments:screening_detail": ("screening", "screening.view"),
    "assessments:urine_create": ("inmate", "urine.record"),
    "assessments:urine_detail": ("urine", "health.view_result"),
    "assessments:health_create": ("inmate", "health.record"),
    "assessments:health_detail": ("health", "health.view_result"),
    "assessments:assessment_create": ("inmate", "assessment.record"),
    "assessments:assessment_detail": ("assessment", "assessment.view"),
    "assessments:assessment_edit": ("assessment", "assessment.record"),
    "assessments:assessment_sign": ("assessment", "assessment.record"),
    "assessments:assessment_amend": ("assessment", "assessment.record"),
}
WRITE_ROUTES = {
    "assessments:screening_create",
    "assessments:urine_create",
    "assessments:health_create",
    "assessments:assessment_create",
    "assessments:assessment_edit",
    "assessments:assessment_sign",
    "assessments:assessment_amend",
    "inmates:create",
    "inmates:import",
    "inmates:import_preview",
    "inmates:edit",
    "inmates:transfer",
    "inmates:release",
}


POST_ONLY = {"logout", "assessments:assessment_sign"}


def _names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's admin checks is_staff itself; see test_admin_is_for_staff
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_the_table() -> None:
    assert set(_names(get_resolver())) == set(ROUTES)


def test_every_action_in_the_table_is_in_the_matrix() -> None:
    assert {action for _, action in ROUTES.values() if action} <= set(PERMISSIONS)


@pytest.fixture
def objects(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    own = InmateFactory(facility=facility_a, full_name="Budi Santoso")
    other = InmateFactory(facility=facility_b, full_name="Joko Susilo")
    uploader = members["staff"]
    screenings = {
        which: ScreeningFactory(inmate=inmate) for which, inmate in [("own", own), ("other", other)]
    }
    urine = {
        which: UrineTestFactory(inmate=inmate) for which, inmate in [("own", own), ("other", other)]
    }
    health = {
        which: HealthScreeningFactory(inmate=inmate)
        for which, inmate in [("own", own), ("other", other)]
    }
    assessments = {
        which: AssessmentFactory(inmate=inmate)
        for which, inmate in [("own", own), ("other", other)]
    }
    return {
        "assessment": assessments,
        "screening": screenings,
        "urine": urine,
        "health": health,
        "inmate": {"own": own, "other": other},
        "batch": {
            "own": ImportBatch.objects.create(
                facility=facility_a,
                uploaded_by=uploader,
                file_name="a.csv",
                content=b"",
                sha256="0",
            ),
            "other": ImportBatch.objects.create(
                facility=facility_b,
                uploaded_by=uploader,
                file_name="b.csv",
                content=b"",
                sha256="0",
            ),
        },
    }


def _url(name: str, kind: str, objects: dict[str, Any], which: str = "own") -> str:
    if kind == "inmate":
        return reverse(name, args=[objects["inmate"][which].pk])
    if kind == "batch":
        return reverse(name, kwargs={"batch_id": objects["batch"][which].pk})
    if kind in ("screening", "urine", "health", "assessment"):
        return reverse(name, args=[objects[kind][which].pk])
    return reverse(name)


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
