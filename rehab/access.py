"""Who may see and do what: the one place that decides.

Deny by default. A user reaches a facility's data only through an active membership of that
facility, and each membership's role allows the actions listed in PERMISSIONS below (the
role x action matrix; docs/access.md explains it for people). An object of a facility the user
is not a member of answers 404, as if it did not exist; an action the user's roles there do not
allow answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from rehab.models import Facility, Membership, Role

# A signed-in user or AnonymousUser; Any because the roles are cached on the object.
AnyUser = Any

STAFF, COUNSELOR, HEALTH = Role.STAFF.value, Role.COUNSELOR.value, Role.HEALTH.value
WARDEN, SUPERVISOR, ADMIN = Role.WARDEN.value, Role.SUPERVISOR.value, Role.ADMIN.value
CASE_READERS = frozenset({STAFF, COUNSELOR, HEALTH, WARDEN, SUPERVISOR})

# The role x action matrix. An action missing here is allowed to nobody.
PERMISSIONS: dict[str, frozenset[str]] = {
    # WBP records (inmates)
    "inmate.view": CASE_READERS,
    # The today page's custody figures counted per facility; supervisors see the stored
    # monthly summaries of their facilities instead (reports.views.summary_today).
    "custody.today": frozenset({STAFF, COUNSELOR, HEALTH, WARDEN}),
    "inmate.history": CASE_READERS,
    "inmate.create": frozenset({STAFF}),
    "inmate.change": frozenset({STAFF}),
    "inmate.transfer": frozenset({STAFF, WARDEN}),
    # The receiving UPT's decision on a WBP handed over from another UPT.
    "transfer.receive": frozenset({STAFF, WARDEN}),
    # The facility calendar (roll call, prayers, visiting hours, holidays) in the app.
    "activity.manage": frozenset({STAFF, WARDEN}),
    "inmate.release": frozenset({STAFF, WARDEN}),
    "inmate.import": frozenset({STAFF}),
    # UU PDP subject access: everything held about one WBP (health results and notes
    # included) in one ZIP, handed to the data subject by the warden.
    "inmate.subject_access": frozenset({WARDEN}),
    # ASSIST screening: staff run it; the warden needs the bands to approve placements.
    "screening.view": frozenset({STAFF, COUNSELOR, HEALTH, WARDEN}),
    "screening.record": frozenset({STAFF, COUNSELOR, HEALTH}),
    # Urine tests and health screening. Everyone who sees the case file sees that a test
    # happened and when; results are health data (UU 27/2022 Pasal 4): clinical roles only.
    "urine.record": frozenset({HEALTH, COUNSELOR}),
    "health.record": frozenset({HEALTH}),
    "health.view_result": frozenset({HEALTH, COUNSELOR}),
    # Corrections of results, never a silent edit: a urine result is corrected by one clinical
    # user and counts once another confirms it; a health screening by a health worker only.
    "urine.correct": frozenset({HEALTH, COUNSELOR}),
    "health.correct": frozenset({HEALTH}),
    # Assessment: the domains, diagnosis and plan are clinical; the tier decision is not.
    "assessment.view": frozenset({HEALTH, COUNSELOR}),
    "assessment.view_decision": CASE_READERS,
    "assessment.record": frozenset({HEALTH, COUNSELOR}),
    # Re-assessment dates are computed; the counsellor may move one, with a reason.
    "review.move": frozenset({COUNSELOR}),
    # Programmes: cohorts, schedules, rosters and attendance.
    "programme.view": CASE_READERS,
    "programme.manage": frozenset({STAFF, COUNSELOR}),
    "enrolment.manage": frozenset({STAFF, COUNSELOR}),
    # What takes a WBP out of a session (court hearings, visits, health appointments,
    # transfers out): the registration staff enter them; everyone on the case sees them.
    "block.view": CASE_READERS,
    "block.manage": frozenset({STAFF}),
    # WBP to keep apart: the pairs and their reason are for the staff and the warden; the
    # counselors see only the warning when they propose one of a pair.
    "separation.view": frozenset({STAFF, WARDEN}),
    # The facility's facilitators (staff and outside speakers): managed by staff and warden.
    "facilitator.view": CASE_READERS,
    "facilitator.manage": frozenset({STAFF, WARDEN}),
    # The facility's rooms and their capacity, and the periods with set session hours
    # (Ramadan): kept by staff and warden; counselors read them when they plan.
    "room.view": frozenset({STAFF, WARDEN, COUNSELOR}),
    "room.manage": frozenset({STAFF, WARDEN}),
    "hours.manage": frozenset({STAFF, WARDEN}),
    "separation.manage": frozenset({STAFF, WARDEN}),
    "enrolment.approve": frozenset({WARDEN}),
    # Completing below the attendance requirement: the warden only, with a reason.
    "completion.waive": frozenset({WARDEN}),
    # Opening the status form: those who manage moves and the warden who approves them.
    "enrolment.move": frozenset({STAFF, COUNSELOR, WARDEN}),
    # Counselling notes: clinical roles only (DESIGN.md).
    "note.view": frozenset({HEALTH, COUNSELOR}),
    "note.write": frozenset({COUNSELOR}),
    # Skills training (pembinaan kemandirian): the registration office runs it.
    "course.view": CASE_READERS,
    "course.manage": frozenset({STAFF, COUNSELOR}),
    # Release planning and the hand-over letter.
    "release.view": CASE_READERS,
    "release.plan": frozenset({STAFF, COUNSELOR}),
    # Post-release follow-ups: the schedule is not sensitive; what a follow-up found
    # (relapse, re-arrest, a urine result) is, and reaches clinical roles only.
    "aftercare.view": CASE_READERS,
    "aftercare.view_outcome": frozenset({COUNSELOR, HEALTH}),
    "aftercare.record": frozenset({COUNSELOR}),
    # Monthly and outcome reports: aggregates only (health cells under 5 suppressed).
    "report.view": frozenset({STAFF, COUNSELOR, HEALTH, WARDEN, SUPERVISOR}),
    "report.generate": frozenset({STAFF, WARDEN}),
    "report.sign": frozenset({WARDEN}),
    "report.rollup": frozenset({SUPERVISOR}),
    # Count a month's stored summaries again (reports.summary), from the roll-up page.
    "summary.refresh": frozenset({SUPERVISOR}),
    # The BNN client recap (PP 25/2011 Pasal 18) carries substance and diagnosis per person.
    "report.recap": frozenset({COUNSELOR, HEALTH}),
    # The EMCDDA TDI 3.0 rows (one per treatment entrant, pseudonymous client code): the
    # registration office and the warden report them too, without the health items (route,
    # frequency, injecting), which are written only for roles holding "health.view_result".
    "report.tdi": frozenset({STAFF, COUNSELOR, HEALTH, WARDEN}),
    # The FHIR bundle for SATUSEHAT: pseudonymous Patients and programme episodes for the
    # case roles; urine results and ASSIST answers only where the role has health.view_result.
    "report.fhir": frozenset({STAFF, COUNSELOR, HEALTH, WARDEN}),
    # The access log (who read or downloaded what): the warden of the facility, and the
    # supervisors over it. It says that notes or results were read, never what they hold.
    "accesslog.view": frozenset({WARDEN, SUPERVISOR}),
    # Accounts: the warden sees, and acknowledges, clinical roles an administrator gave
    # himself in the facility (he could read health data with them).
    "membership.review_self_grant": frozenset({WARDEN}),
    # Accounts: remove the authenticator and recovery codes of a member of one's facility.
    "account.mfa_reset": frozenset({ADMIN}),
}

M = TypeVar("M", bound=models.Model)


def _roles_by_facility(user: AnyUser) -> dict[int, frozenset[str]]:
    """Return the user's roles per facility id, loaded once per request."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, "_rehab_roles", None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        for facility_id, role in (
            Membership.objects.active().filter(user=user).values_list("facility_id", "role")
        ):
            roles.setdefault(facility_id, set()).add(role)
        cached = {fid: frozenset(r) for fid, r in roles.items()}
        user._rehab_roles = cached
    return cached


def memberships(user: AnyUser) -> models.QuerySet[Membership]:
    """Return the user's active memberships, facility and agency loaded."""
    return (
        Membership.objects.active()
        .filter(user_id=user.pk)
        .select_related("facility", "agency")
        .order_by("facility__name", "role")
    )


def roles_in(user: AnyUser, facility: Facility | int) -> frozenset[str]:
    """Return the roles the user holds in one facility."""
    facility_id = facility if isinstance(facility, int) else facility.pk
    return _roles_by_facility(user).get(facility_id, frozenset())


def all_roles(user: AnyUser) -> frozenset[str]:
    """Return every role the user holds anywhere."""
    return frozenset().union(*_roles_by_facility(user).values())


def can(user: AnyUser, action: str, facility: Facility | int) -> bool:
    """Tell whether the user may do the action in the facility."""
    return bool(roles_in(user, facility) & PERMISSIONS.get(action, frozenset()))


def facility_ids_for(user: AnyUser, action: str) -> list[int]:
    """Return the ids of the facilities where the user may do the action."""
    allowed = PERMISSIONS.get(action, frozenset())
    return sorted(fid for fid, roles in _roles_by_facility(user).items() if roles & allowed)


def facilities_for(user: AnyUser, action: str) -> models.QuerySet[Facility]:
    """Return the facilities where the user may do the action."""
    return Facility.objects.filter(pk__in=facility_ids_for(user, action))


def require(user: AnyUser, action: str, facility: Facility | int) -> None:
    """Raise 404 for a stranger to the facility and 403 for a member without the right."""
    if not roles_in(user, facility):
        raise Http404
    if not can(user, action, facility):
        raise PermissionDenied


def require_somewhere(user: AnyUser, action: str) -> list[int]:
    """Return the facilities where the user may do the action, or raise 403 if none."""
    ids = facility_ids_for(user, action)
    if not ids:
        raise PermissionDenied
    return ids


def scoped(queryset: models.QuerySet[M], user: AnyUser, action: str) -> models.QuerySet[M]:
    """Narrow a queryset of facility-owned rows to those the user may act on."""
    return queryset.filter(facility_id__in=facility_ids_for(user, action))


def get_for_user(user: AnyUser, queryset: models.QuerySet[M], action: str, **lookup: Any) -> M:
    """Load one facility-owned object: 404 for a stranger, 403 without the right."""
    member_of = list(_roles_by_facility(user))
    try:
        obj = queryset.filter(facility_id__in=member_of).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None
    require(user, action, obj.facility_id)  # type: ignore[attr-defined]
    return obj


def matrix_rows() -> Iterable[tuple[str, list[str]]]:
    """Yield each action with the roles allowed, for docs and the admin."""
    for action, roles in sorted(PERMISSIONS.items()):
        yield action, sorted(roles)
