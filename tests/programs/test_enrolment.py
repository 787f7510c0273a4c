"""Placement from a signed assessment, the transition table, waitlists and tier changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from programs.completion import services as completion
from programs.models import TRANSITIONS, Enrolment, EnrolmentState
from programs.tiers import services
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    InmateFactory,
    TrackFactory,
    UserFactory,
    signed_assessment,
)

STATES = [s.value for s in EnrolmentState]


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 3, 2, 0, tzinfo=datetime.UTC)),
]


@pytest.fixture
def user() -> Any:
    return UserFactory(username="konselor")


@pytest.fixture
def cohort(facility_a: Any) -> Any:
    return CohortFactory(facility=facility_a, capacity=2)


def propose(cohort: Any, user: Any, **inmate_fields: Any) -> Enrolment:
    inmate = InmateFactory(facility=cohort.facility, **inmate_fields)
    return services.enrolment_propose(
        inmate=inmate,
        track=cohort.track,
        cohort=cohort,
        assessment=signed_assessment(inmate),
        by=user,
    )


def enrolment_in(state: str, cohort: Any, user: Any) -> Enrolment:
    enrolment = propose(cohort, user)
    Enrolment.objects.filter(pk=enrolment.pk).update(state=state)
    enrolment.refresh_from_db()
    return enrolment


@pytest.mark.parametrize(("from_state", "to_state"), [(a, b) for a in STATES for b in STATES])
def test_every_move_outside_the_table_is_refused_with_a_clear_message(
    cohort: Any, user: Any, from_state: str, to_state: str
) -> None:
    enrolment = enrolment_in(from_state, cohort, user)
    if (from_state, to_state) in TRANSITIONS and to_state == EnrolmentState.CHANGED:
        # allowed, but only through a tier change that names its destination
        with pytest.raises(services.TransitionRefused, match="jalur tujuan"):
            services.enrolment_move(enrolment=enrolment, to=to_state, by=user, reason="x")
        enrolment.refresh_from_db()
        assert enrolment.state == from_state
    elif (from_state, to_state) in TRANSITIONS:
        if to_state == EnrolmentState.COMPLETED:
            # allowed by the table, but gated on attendance: nobody attended anything yet
            with pytest.raises(services.TransitionRefused, match="syarat kehadiran"):
                services.enrolment_move(enrolment=enrolment, to=to_state, by=user, reason="x")
            assert Enrolment.objects.get(pk=enrolment.pk).state == from_state
            completion.enrolment_waive(enrolment=enrolment, by=user, reason="Sakit, dirawat")
        services.enrolment_move(
            enrolment=enrolment,
            to=to_state,
            by=user,
            reason="Keputusan tim",
            drop_reason="withdrew",
        )
        enrolment.refresh_from_db()
        assert enrolment.state in (to_state, EnrolmentState.WAITLISTED)
        assert enrolment.events.last().reason.startswith("Keputusan tim")
    else:
        with pytest.raises(services.TransitionRefused, match="tidak diizinkan"):
            services.enrolment_move(enrolment=enrolment, to=to_state, by=user, reason="x")
        enrolment.refresh_from_db()
        assert enrolment.state == from_state


def test_placement_without_a_signed_assessment_is_refused(cohort: Any, user: Any) -> None:
    inmate = InmateFactory(facility=cohort.facility)
    draft = AssessmentFactory(inmate=inmate)
    with pytest.raises(services.PlacementRefused, match="ditandatangani"):
        services.enrolment_propose(
            inmate=inmate, track=cohort.track, cohort=cohort, assessment=draft, by=user
        )
    assert not Enrolment.objects.exists()


def test_placement_from_another_wbps_assessment_is_refused(cohort: Any, user: Any) -> None:
    inmate = InmateFactory(facility=cohort.facility)
    other = signed_assessment(InmateFactory(facility=cohort.facility))
    with pytest.raises(services.PlacementRefused, match="WBP lain"):
        services.enrolment_propose(
            inmate=inmate, track=cohort.track, cohort=cohort, assessment=other, by=user
        )


def test_a_second_open_placement_of_the_same_wbp_is_refused(cohort: Any, user: Any) -> None:
    first = propose(cohort, user)
    with pytest.raises(services.PlacementRefused, match="sudah terdaftar"):
        services.enrolment_propose(
            inmate=first.inmate,
            track=cohort.track,
            cohort=cohort,
            assessment=first.assessment,
            by=user,
        )


def test_a_programme_ending_after_release_is_warned_about(cohort: Any) -> None:
    inmate = InmateFactory(facility=cohort.facility, release_date=datetime.date(2026, 11, 10),
                           expiry_date=datetime.date(2026, 12, 1))  # fmt: skip
    warnings = services.placement_warnings(inmate=inmate, track=cohort.track, cohort=cohort)
    assert warnings == ["Program berakhir 16/11/2026, sesudah tanggal bebas WBP 10/11/2026."]


def test_approval_of_a_full_cohort_puts_the_next_on_the_waitlist_and_a_freed_place_is_offered(
    cohort: Any, user: Any
) -> None:
    first, second, third = (propose(cohort, user) for _ in range(3))
    for enrolment in (first, second, third):
        services.enrolment_move(enrolment=enrolment, to="placed", by=user, reason="Disetujui")
    states = [Enrolment.objects.get(pk=e.pk).state for e in (first, second, third)]
    assert states == ["placed", "placed", "waitlisted"]
    services.enrolment_move(
        enrolment=first, to="dropped_out", by=user, reason="Sakit berat", drop_reason="illness"
    )
    third.refresh_from_db()
    assert third.state == "placed"
    assert third.events.last().reason == "Tempat kosong di angkatan."


def test_a_tier_change_moves_the_old_enrolment_when_the_warden_approves(
    facility_a: Any, cohort: Any, user: Any
) -> None:
    old = propose(cohort, user)
    services.enrolment_move(enrolment=old, to="placed", by=user, reason="Disetujui")
    heavier = CohortFactory(
        facility=facility_a,
        track=TrackFactory(name="Berat 60 hari", tier="berat", duration_days=60),
    )
    reassessment = signed_assessment(old.inmate, final_tier="berat")
    new = services.enrolment_propose(
        inmate=old.inmate, track=heavier.track, cohort=heavier, assessment=reassessment, by=user,
        reason="Asesmen ulang: berat", replaces=old,
    )  # fmt: skip
    old.refresh_from_db()
    assert old.state == "placed"  # nothing moves before the approval
    services.enrolment_move(enrolment=new, to="placed", by=user, reason="Disetujui Karutan")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, new.state) == ("changed", "placed")
    assert [e.to_state for e in old.events.all()] == ["proposed", "placed", "changed"]


def test_a_drop_out_needs_its_reason(cohort: Any, user: Any) -> None:
    enrolment = enrolment_in("active", cohort, user)
    with pytest.raises(services.TransitionRefused, match="alasan putus"):
        services.enrolment_move(enrolment=enrolment, to="dropped_out", by=user, reason="Keluar")
