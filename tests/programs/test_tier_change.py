"""Tier change as a workflow: the counsellor's request with its destination, the warden's
approval or refusal on the approvals page, the warden's own "Pindah tingkat", and the approvals
page where nothing is ticked and each proposal has its own buttons."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Enrolment, EnrolmentEvent
from programs.tiers import services
from rehab.models import AuditEntry
from tests.factories import CohortFactory, InmateFactory, TrackFactory, signed_assessment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 3, 1, 0, tzinfo=datetime.UTC)),
]


def active_ringan(facility: Any, user: Any, name: str = "Budi Santoso") -> Enrolment:
    cohort = CohortFactory(facility=facility)
    inmate = InmateFactory(facility=facility, full_name=name)
    e = services.enrolment_propose(
        inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(inmate, final_tier="ringan"), by=user,
    )  # fmt: skip
    services.enrolment_move(enrolment=e, to="placed", by=user, reason="Disetujui")
    services.enrolment_move(enrolment=e, to="active", by=user, reason="Mulai sesi")
    e.refresh_from_db()
    return e


@pytest.fixture
def sedang(facility_a: Any) -> Any:
    track = TrackFactory(name="Sedang 30 hari", tier="sedang", duration_days=30)
    return CohortFactory(facility=facility_a, track=track, name="Angkatan Sedang", capacity=1)


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_counsellor_requests_and_the_warden_approves_with_history_on_both(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    counselor = login(members["counselor"])
    url = reverse("programs:tier_change", args=[old.pk])
    assert "Pindah tingkat" in counselor.get(old.get_absolute_url()).content.decode()
    response = counselor.post(
        url, {"track": sedang.track.pk, "cohort": sedang.pk, "reason": "Asesmen ulang: sedang"}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.state == "active"  # nothing moves before the warden decides
    new = Enrolment.objects.get(replaces=old)
    assert (new.state, new.track, new.cohort) == ("proposed", sedang.track, sedang)

    warden = login(members["warden"])
    today = warden.get(reverse("today")).content.decode()
    assert "Pindah tingkat menunggu persetujuan" in today
    assert "Ringan 15 hari → Sedang 30 hari" in today
    page = warden.get(reverse("programs:approvals")).content.decode()
    assert "Ringan 15 hari" in page and "Sedang 30 hari" in page
    warden.post(reverse("programs:approvals"), {"one": f"approve:{new.pk}", "reason": ""})
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, old.ended_on, new.state) == ("changed", datetime.date(2026, 11, 3), "placed")
    assert new.replaces == old
    assert [e.to_state for e in old.events.all()][-1] == "changed"
    assert [e.to_state for e in new.events.all()] == ["proposed", "placed"]
    changed = AuditEntry.objects.get(action="programs.enrolment.changed")
    assert changed.changes["state"] == ["active", "changed"]
    # the case file links both
    case = counselor.get(old.inmate.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in case and old.get_absolute_url() in case
    assert "Pindah tingkat ke" in case


def test_a_full_destination_puts_the_participant_on_its_waitlist(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    active_ringan(facility_a, members["counselor"], "Penghuni Lama")
    filler = Enrolment.objects.get()
    Enrolment.objects.filter(pk=filler.pk).update(cohort=sedang, track=sedang.track)  # full
    old = active_ringan(facility_a, members["counselor"])
    new = services.tier_change_request(
        enrolment=old, track=sedang.track, cohort=sedang, by=members["warden"],
        reason="Asesmen ulang", approve=True,
    )  # fmt: skip
    old.refresh_from_db()
    assert (old.state, new.state) == ("changed", "waitlisted")


def test_the_warden_refuses_with_a_reason_kept_and_shown_on_the_old_enrolment(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    new = services.tier_change_request(
        enrolment=old, track=sedang.track, cohort=sedang, by=members["counselor"], reason="Relaps"
    )
    warden = login(members["warden"])
    response = warden.post(reverse("programs:approvals"), {"one": f"reject:{new.pk}", "reason": ""})
    page = response.content.decode()
    assert "Tuliskan alasan penolakan." in page
    assert 'id="reason-error"' in page
    new.refresh_from_db()
    assert new.state == "proposed"  # nothing saved
    warden.post(
        reverse("programs:approvals"),
        {"one": f"reject:{new.pk}", "reason": "Tunggu hasil tes urine berikutnya"},
    )
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, new.state, new.replaces) == ("active", "rejected", None)
    detail = login(members["counselor"]).get(old.get_absolute_url()).content.decode()
    assert "ditolak: Tunggu hasil tes urine berikutnya" in detail
    assert AuditEntry.objects.filter(action="programs.enrolment.change_refused").exists()
    # a new request can be made after the refusal
    services.tier_change_request(
        enrolment=old, track=sedang.track, cohort=sedang, by=members["counselor"], reason="Lagi"
    )


def test_the_wardens_own_tier_change_is_decided_at_once(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    warden = login(members["warden"])
    response = warden.post(
        reverse("programs:tier_change", args=[old.pk]),
        {"track": sedang.track.pk, "cohort": sedang.pk, "reason": "Keputusan sidang TPP"},
    )
    new = Enrolment.objects.get(replaces=old)
    assert response["Location"] == new.get_absolute_url()
    old.refresh_from_db()
    assert (old.state, new.state) == ("changed", "placed")
    # the status form no longer ends an enrolment as "changed" without a destination
    page = warden.get(new.get_absolute_url()).content.decode()
    assert 'value="changed"' not in page


def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    counselor = login(members["counselor"])
    url = reverse("programs:tier_change", args=[old.pk])
    other = CohortFactory(facility=facility_a, track=TrackFactory(tier="berat", name="Berat"))
    response = counselor.post(
        url, {"track": sedang.track.pk, "cohort": other.pk, "reason": "x" * 2001}
    )
    form = response.context["form"]
    assert "bukan untuk jalur tujuan" in str(form.errors["cohort"])
    assert "reason" in form.errors
    same = TrackFactory(tier="ringan", name="Ringan lain")
    response = counselor.post(url, {"track": same.pk, "reason": "Sama"})
    assert "track" in response.context["form"].errors
    assert Enrolment.objects.count() == 1
    assert not EnrolmentEvent.objects.filter(reason__contains="Pindah tingkat").exists()


def test_a_second_request_while_one_waits_is_refused(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    services.tier_change_request(
        enrolment=old, track=sedang.track, cohort=sedang, by=members["counselor"], reason="A"
    )
    with pytest.raises(services.TransitionRefused, match="menunggu"):
        services.tier_change_request(
            enrolment=old, track=sedang.track, cohort=None, by=members["counselor"], reason="B"
        )


def test_approving_a_change_whose_old_enrolment_ended_is_refused(
    members: dict[str, Any], facility_a: Any, sedang: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    new = services.tier_change_request(
        enrolment=old, track=sedang.track, cohort=sedang, by=members["counselor"], reason="A"
    )
    services.enrolment_move(
        enrolment=old, to="dropped_out", by=members["counselor"], reason="Bebas",
        drop_reason="released",
    )  # fmt: skip
    with pytest.raises(services.TransitionRefused, match="tidak dapat disetujui"):
        services.enrolment_move(enrolment=new, to="placed", by=members["warden"], reason="Ya")
    new.refresh_from_db()
    assert new.state == "proposed"


def test_the_approvals_page_ticks_nothing_and_decides_only_what_was_ticked(
    members: dict[str, Any], facility_a: Any, django_assert_max_num_queries: Any
) -> None:
    people = [active_ringan(facility_a, members["counselor"], f"Orang {i}") for i in range(3)]
    cohort = CohortFactory(facility=facility_a)
    proposals = []
    for i in range(4):
        inmate = InmateFactory(facility=facility_a, full_name=f"Baru {i}")
        proposals.append(
            services.enrolment_propose(
                inmate=inmate, track=cohort.track, cohort=cohort,
                assessment=signed_assessment(inmate), by=members["counselor"],
            )
        )  # fmt: skip
    sedang = CohortFactory(
        facility=facility_a, track=TrackFactory(tier="sedang", name="Sedang 30 hari")
    )
    for p in people:
        services.tier_change_request(
            enrolment=p, track=sedang.track, cohort=sedang, by=members["counselor"], reason="R"
        )
    warden = login(members["warden"])
    warden.get(reverse("today"))
    with django_assert_max_num_queries(8):  # + the pairs to keep apart
        page = warden.get(reverse("programs:approvals")).content.decode()
    assert page.count('name="enrolment"') == 7
    assert " checked" not in page
    assert page.count('name="one" value="approve:') == 7
    warden.post(
        reverse("programs:approvals"),
        {"enrolment": [proposals[0].pk, proposals[2].pk], "decision": "approve", "reason": ""},
    )
    states = [Enrolment.objects.get(pk=p.pk).state for p in proposals]
    assert states == ["placed", "proposed", "placed", "proposed"]
    # a refusal of the selection without a reason keeps what was ticked and saves nothing
    response = warden.post(
        reverse("programs:approvals"), {"enrolment": [proposals[1].pk], "decision": "reject"}
    )
    assert "Tuliskan alasan penolakan." in response.content.decode()
    assert f'value="{proposals[1].pk}" id="e-{proposals[1].pk}" checked' in (
        response.content.decode()
    )
    assert Enrolment.objects.get(pk=proposals[1].pk).state == "proposed"


def test_the_tier_change_page_costs_the_same_queries_with_many_cohorts_and_assessments(
    members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    old = active_ringan(facility_a, members["counselor"])
    counselor = login(members["counselor"])
    counselor.get(reverse("today"))
    url = reverse("programs:tier_change", args=[old.pk])

    def more() -> None:
        track = TrackFactory(tier="berat", name="Berat 60 hari", duration_days=60)
        CohortFactory(facility=facility_a, track=track)
        signed_assessment(old.inmate, final_tier="berat")

    more()
    with django_assert_num_queries(10):
        assert counselor.get(url).status_code == 200
    for _ in range(6):
        more()
    with django_assert_num_queries(10):
        assert counselor.get(url).status_code == 200
