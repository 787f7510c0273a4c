"""One table of allowed enrolment transitions, over every pair of states: allowed or refused
with a clear message, the role each allowed move needs, and the database constraint on drop
reasons."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from programs.models import TRANSITIONS, Enrolment, EnrolmentState
from programs.tiers import services
from programs.tiers.forms import MoveForm
from rehab.access import PERMISSIONS
from tests.factories import CohortFactory, InmateFactory, UserFactory, signed_assessment

S = EnrolmentState
STATES = [s.value for s in S]
# (from, to) -> who may make the move: placement and tier change by the warden, the rest by
# the counsellor (and staff). Every other pair is refused.
EXPECTED: dict[tuple[str, str], set[str]] = {
    (S.PROPOSED, S.PLACED): {"warden"},
    (S.PROPOSED, S.WAITLISTED): {"warden"},
    (S.PROPOSED, S.REJECTED): {"warden"},
    (S.WAITLISTED, S.PLACED): {"counselor", "staff"},
    (S.WAITLISTED, S.DROPPED_OUT): {"counselor", "staff"},
    (S.PLACED, S.ACTIVE): {"counselor", "staff"},
    (S.PLACED, S.DROPPED_OUT): {"counselor", "staff"},
    (S.PLACED, S.CHANGED): {"warden"},
    (S.ACTIVE, S.COMPLETED): {"counselor", "staff"},
    (S.ACTIVE, S.DROPPED_OUT): {"counselor", "staff"},
    (S.ACTIVE, S.CHANGED): {"warden"},
}

pytestmark = pytest.mark.clock(datetime.datetime(2026, 11, 3, 2, 0, tzinfo=datetime.UTC))


@pytest.mark.parametrize(("from_state", "to_state"), [(a, b) for a in STATES for b in STATES])
def test_every_pair_is_allowed_or_refused_by_the_table_with_the_role_it_needs(
    from_state: str, to_state: str
) -> None:
    roles = EXPECTED.get((from_state, to_state))
    if roles is None:
        with pytest.raises(services.TransitionRefused, match="tidak diizinkan"):
            services.transition_action(from_state, to_state)
        for action in ("enrolment.manage", "enrolment.approve"):
            offered = dict(MoveForm(state=from_state, allowed={action}).fields["to"].choices)
            assert to_state not in offered
        return
    action = services.transition_action(from_state, to_state)
    assert PERMISSIONS[action] == roles
    offered = dict(MoveForm(state=from_state, allowed={action}).fields["to"].choices)
    # a tier change has its own form, which names the destination
    assert (to_state in offered) == (to_state != S.CHANGED)


def test_the_table_holds_nothing_else() -> None:
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.django_db
def test_a_drop_reason_outside_a_drop_out_is_refused_by_the_database(facility_a: Any) -> None:
    cohort = CohortFactory(facility=facility_a)
    inmate = InmateFactory(facility=facility_a)
    e = services.enrolment_propose(
        inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(inmate), by=UserFactory(),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=e.pk).update(state="completed", drop_reason="released")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=e.pk).update(replaces=e)
    Enrolment.objects.filter(pk=e.pk).update(state="dropped_out", drop_reason="released")
