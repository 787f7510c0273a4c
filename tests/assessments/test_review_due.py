"""Re-assessment due dates are computed, never typed and never blank: at the midpoint and the
end of the tier's programme counted from its start, and 30 days after a positive urine test;
a signed assessment after the day a review counts from meets it. The counsellor may move one,
with a reason, and sees the overdue ones marked on the today page.

Today is Monday 23 November 2026 (frozen)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from assessments import reviews, scoring, services
from assessments.forms import AssessmentForm
from assessments.models import Assessment, ReviewMove
from programs.models import Enrolment
from rehab.models import AuditEntry
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    CredentialFactory,
    InmateFactory,
    MembershipFactory,
    TrackFactory,
    UrineTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.clock(datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC))
TODAY = datetime.date(2026, 11, 23)


def d(text: str) -> datetime.date:
    """A day of November 2026 ("9") or a full date ("2026-12-10")."""
    return datetime.date.fromisoformat(text) if "-" in text else datetime.date(2026, 11, int(text))


# --- the rule, without a database ------------------------------------------------------------

# (programme days, start, positive tests (id, day), last signed assessment, expected
# (kind, due, met) earliest first)
RULE_CASES = [
    pytest.param(15, "2", [], "1", [("mid", "9", False), ("end", "17", False)], id="ringan"),
    pytest.param(
        30, "2", [], "1", [("mid", "17", False), ("end", "2026-12-02", False)], id="sedang"
    ),
    pytest.param(
        60, "2", [], "1", [("mid", "2026-12-02", False), ("end", "2027-01-01", False)], id="berat"
    ),
    pytest.param(
        15, "2", [], "2", [("mid", "9", False), ("end", "17", False)],
        id="the assessment of the start day does not meet the midpoint",
    ),
    pytest.param(
        15, "2", [], "5", [("mid", "9", True), ("end", "17", False)],
        id="an early re-assessment meets the midpoint, not the end",
    ),
    pytest.param(
        15, "2", [], "10", [("mid", "9", True), ("end", "17", True)],
        id="a late re-assessment after the midpoint meets both",
    ),
    pytest.param(
        30, "2", [(7, "10")], "1",
        [("mid", "17", False), ("end", "2026-12-02", False), ("urine", "2026-12-10", False)],
        id="a positive urine test adds a review 30 days later",
    ),
    pytest.param(
        30, "2", [(7, "10")], "12",
        [("mid", "17", True), ("end", "2026-12-02", False), ("urine", "2026-12-10", True)],
        id="a re-assessment after the test meets its review",
    ),
    pytest.param(
        30, "2", [(7, "10")], "10",
        [("mid", "17", True), ("end", "2026-12-02", False), ("urine", "2026-12-10", False)],
        id="an assessment on the test day does not meet the review",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("days", "start", "positives", "last", "expected"), RULE_CASES)
def test_the_rule_gives_the_due_dates_and_what_meets_them(
    days: int,
    start: str,
    positives: list[tuple[int, str]],
    last: str,
    expected: list[tuple[str, str, bool]],
) -> None:
    points = scoring.review_points(
        start=d(start),
        programme_days=days,
        programme="e1",
        positive_tests=[(pk, d(day)) for pk, day in positives],
    )
    got = [(p.kind, p.due_on, scoring.is_met(p, last_assessed_on=d(last))) for p in points]
    assert got == [(kind, d(due), met) for kind, due, met in expected]
    assert [p.key for p in points if p.kind != "urine"] == ["mid:e1", "end:e1"]


def test_a_programme_without_days_is_refused() -> None:
    with pytest.raises(ValueError, match="paling sedikit 1 hari"):
        scoring.review_points(start=d("2"), programme_days=0, programme="e1")


# --- the rule over the records -----------------------------------------------------------------


@dataclass
class Case:
    """A WBP's records; `expected` is (kind, due, met) of every review, earliest first."""

    tier: str
    assessed_on: str
    expected: list[tuple[str, str, bool]]
    # None: not placed; else (state, track days, cohort start, first day attended)
    enrolment: tuple[str, int, str, str | None] | None = None
    positives: list[str] = field(default_factory=list)
    positive_corrected: str = ""  # "confirmed" or "pending": the positive corrected to negative
    reassessed_on: str | None = None


DB_CASES = [
    pytest.param(
        Case("ringan", "2", [("mid", "9", False), ("end", "17", False)]),
        id="not placed: counts from the first signed assessment, the tier's 15 days",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "24", False), ("end", "2026-12-09", False)],
             enrolment=("placed", 30, "9", None)),
        id="placed: counts from the cohort's start",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "27", False), ("end", "2026-12-12", False)],
             enrolment=("active", 30, "9", "12")),
        id="active: counts from the first day attended, not the cohort's start",
    ),
    pytest.param(
        Case("berat", "2", [("mid", "2026-12-04", False), ("end", "2027-01-03", False)],
             enrolment=("active", 60, "4", "4")),
        id="berat: 60 days",
    ),
    pytest.param(
        Case("ringan", "2", [("mid", "9", False), ("end", "17", False)],
             enrolment=("proposed", 15, "3", None)),
        id="only proposed: counts from the assessment",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "17", True), ("end", "2026-12-02", False)],
             reassessed_on="16"),
        id="a re-assessment before the midpoint meets it",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "17", False), ("end", "2026-12-02", False),
                             ("urine", "2026-12-05", False)],
             positives=["5"]),
        id="a positive urine test after the assessment",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "17", False), ("urine", "2026-12-01", True),
                             ("end", "2026-12-02", False)],
             positives=["1"]),
        id="a positive urine test known at the assessment is met by it",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "17", False), ("end", "2026-12-02", False)],
             positives=["5"], positive_corrected="confirmed"),
        id="a positive corrected to negative and confirmed asks for nothing",
    ),
    pytest.param(
        Case("sedang", "2", [("mid", "17", False), ("end", "2026-12-02", False),
                             ("urine", "2026-12-05", False)],
             positives=["5"], positive_corrected="pending"),
        id="a correction still waiting for its confirmation changes nothing",
    ),
]  # fmt: skip


def _signed(inmate: Any, signer: Any, tier: str, day: datetime.date) -> Assessment:
    draft = AssessmentFactory(inmate=inmate, final_tier=tier, assessed_on=day)
    return services.assessment_sign(assessment=draft, by=signer)


def _build(case: Case, facility: Any, members: dict[str, Any]) -> Any:
    signer = CredentialFactory(user=members["counselor"]).user
    inmate = InmateFactory(facility=facility)
    assessment = _signed(inmate, signer, case.tier, d(case.assessed_on))
    if case.enrolment:
        state, days, cohort_start, started = case.enrolment
        track = TrackFactory(name=f"{case.tier} {days}", tier=case.tier, duration_days=days)
        cohort = CohortFactory(
            facility=facility, track=track, start_date=d(cohort_start),
            end_date=d(cohort_start) + datetime.timedelta(days),
        )  # fmt: skip
        Enrolment.objects.create(
            facility=facility, inmate=inmate, track=track, cohort=cohort, assessment=assessment,
            state=state, started_on=d(started) if started else None,
        )  # fmt: skip
    for day in case.positives:
        test = UrineTestFactory(inmate=inmate, tested_on=d(day), collector=members["health"])
        test.results.create(analyte="MET", result="positive")
        test.results.create(analyte="AMP", result="negative")
        if case.positive_corrected:
            correction = services.urine_correction_request(
                test=test, by=members["health"], analyte="MET", new_result="negative",
                reason="Strip terbaca keliru.", expected_version=test.version,
            )  # fmt: skip
            if case.positive_corrected == "confirmed":
                test.refresh_from_db()
                services.urine_correction_confirm(
                    correction=correction, by=members["counselor"], expected_version=test.version
                )
    if case.reassessed_on:
        _signed(inmate, signer, case.tier, d(case.reassessed_on))
    return inmate


@pytest.mark.django_db
@pytest.mark.parametrize("case", DB_CASES)
def test_each_wbp_gets_the_due_dates_the_rule_gives(
    case: Case, facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = _build(case, facility_a, members)
    got = [(r.kind, r.due_on, r.met) for r in reviews.reviews_of_inmate(inmate)]
    assert got == [(kind, d(due), met) for kind, due, met in case.expected]


@pytest.mark.django_db
def test_a_correction_of_an_assessment_is_no_re_assessment(
    facility_a: Any, members: dict[str, Any]
) -> None:
    signer = CredentialFactory(user=members["counselor"]).user
    inmate = InmateFactory(facility=facility_a)
    first = _signed(inmate, signer, "sedang", d("2"))
    amended = services.assessment_amend(assessment=first, by=signer, reason="Salah ketik kode.")
    services.assessment_sign(assessment=amended, by=signer)
    got = [(r.kind, r.due_on, r.met) for r in reviews.reviews_of_inmate(inmate)]
    assert got == [("mid", d("17"), False), ("end", d("2026-12-02"), False)]


@pytest.mark.django_db
def test_no_due_date_is_typed_by_hand_and_a_signed_assessment_always_shows_one(
    facility_a: Any, members: dict[str, Any], client: Client
) -> None:
    inmate = InmateFactory(facility=facility_a)
    assert not {"mid_review_due", "end_review_due"} & set(AssessmentForm(inmate=inmate).fields)
    signer = CredentialFactory(user=members["counselor"]).user
    assessment = _signed(inmate, signer, "ringan", d("12"))
    client.force_login(members["counselor"])
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "19 November 2026 · Asesmen ulang tengah program" in page
    assert "terlambat" in page


# --- the today page and the moves ------------------------------------------------------------


@pytest.fixture
def counselor(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["counselor"])
    return client


@pytest.fixture
def due(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    """Overdue, due this week and later in facility A; overdue in B and for a released WBP."""
    signer = CredentialFactory(user=members["counselor"]).user
    people = {}
    for name, tier, day, facility, status in [
        ("Andi Terlambat", "ringan", "9", facility_a, "in_custody"),  # midpoint on the 16th
        ("Budi Minggu Ini", "sedang", "12", facility_a, "in_custody"),  # the 27th
        ("Cecep Nanti", "berat", "12", facility_a, "in_custody"),  # 12 December
        ("Dodi Rutan Lain", "ringan", "9", facility_b, "in_custody"),
        ("Eko Sudah Bebas", "ringan", "9", facility_a, "released"),
    ]:
        people[name] = InmateFactory(facility=facility, full_name=name, status=status)
        _signed(people[name], signer, tier, d(day))
    return people


@pytest.mark.django_db
def test_the_today_page_marks_the_overdue_and_lists_the_week(
    counselor: Client, due: dict[str, Any]
) -> None:
    page = counselor.get(reverse("today")).content.decode()
    section = page[page.index('id="today-reviews"') :]
    assert "Andi Terlambat" in section and "Budi Minggu Ini" in section
    for absent in ("Cecep Nanti", "Dodi Rutan Lain", "Eko Sudah Bebas"):
        assert absent not in section
    andi, budi = line(section, "Andi Terlambat"), line(section, "Budi Minggu Ini")
    assert "terlambat" in andi and "Asesmen ulang tengah program · 16 November 2026" in andi
    assert "terlambat" not in budi and "27 November 2026" in budi
    assert section.index("Andi Terlambat") < section.index("Budi Minggu Ini")  # overdue first


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "warden", "supervisor"])
def test_the_non_clinical_roles_see_no_re_assessment(
    client: Client, members: dict[str, Any], due: dict[str, Any], role: str
) -> None:
    client.force_login(members[role])
    assert "Andi Terlambat" not in client.get(reverse("today")).content.decode()
    url = reverse("assessments:reviews", args=[due["Andi Terlambat"].pk])
    assert client.get(url).status_code == 403


def line(page: str, name: str) -> str:
    """The list item of the today page that names the WBP."""
    at = page.index(name)
    return page[page.rindex("<li>", 0, at) : page.index("</li>", at)]


def move(client: Client, inmate: Any, key: str, **data: str) -> Any:
    url = reverse("assessments:review_move", args=[inmate.pk]) + f"?titik={key}"
    return client.post(url, data)


def _key(inmate: Any, kind: str) -> str:
    return next(r.key for r in reviews.reviews_of_inmate(inmate) if r.kind == kind)


@pytest.mark.django_db
def test_the_counsellor_moves_a_re_assessment_with_a_reason_and_the_rule_stays_beside_it(
    counselor: Client, members: dict[str, Any], due: dict[str, Any]
) -> None:
    andi = due["Andi Terlambat"]
    key = _key(andi, "mid")
    response = move(
        counselor, andi, key, moved_to="25/11/2026", shown="16-11-2026",
        reason="WBP menjalani sidang minggu ini.",
    )  # fmt: skip
    assert response.status_code == 302
    review = reviews.find(reviews.reviews_of_inmate(andi), key)
    assert review is not None and (review.due_on, review.computed_on) == (d("25"), d("16"))
    moved = ReviewMove.objects.get()
    assert (moved.moved_from, moved.moved_to, moved.by) == (d("16"), d("25"), members["counselor"])
    page = counselor.get(response["Location"]).content.decode()
    assert "digeser" in page and "WBP menjalani sidang minggu ini." in page
    assert "16 November 2026 → 25 November 2026" in page
    # No longer overdue on the today page; the history says it moved, not why.
    today = counselor.get(reverse("today")).content.decode()
    assert "terlambat" not in line(today, "Andi Terlambat")
    entry = AuditEntry.objects.get(action="assessments.review.moved")
    assert entry.changes == {
        "moved_to": ["2026-11-16", "2026-11-25"], "reason": [None, "(rahasia)"],
    }  # fmt: skip
    history = counselor.get(reverse("inmates:history", args=[andi.pk])).content.decode()
    assert "Tanggal asesmen ulang digeser" in history and "sidang" not in history


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"moved_to": "25-11-2026", "reason": ""}, "reason", "Tuliskan alasannya."),
        ({"moved_to": "25-11-2026", "reason": "x" * 2001}, "reason", "paling banyak 2000"),
        ({"moved_to": "20-11-2026", "reason": "Sidang."}, "moved_to", "harus antara 23/11/2026"),
        ({"moved_to": "25-01-2027", "reason": "Sidang."}, "moved_to", "dan 22/01/2027"),
        ({"moved_to": "16-11-2026", "reason": "Sidang."}, "moved_to", "sama dengan tanggal"),
        ({"moved_to": "31-11-2026", "reason": "Sidang."}, "moved_to", "tanggal yang valid"),
    ],
)
def test_a_bad_move_is_explained_beside_the_field_and_nothing_moves(
    counselor: Client, due: dict[str, Any], data: dict[str, str], field: str, message: str
) -> None:
    andi = due["Andi Terlambat"]
    response = move(counselor, andi, _key(andi, "mid"), shown="16-11-2026", **data)
    assert response.status_code == 200
    assert message.lower() in " ".join(response.context["form"].errors[field]).lower()
    assert response.context["form"]["reason"].value() == data["reason"]
    assert not ReviewMove.objects.exists()


@pytest.mark.django_db
def test_a_move_from_a_page_opened_before_another_move_is_refused(
    counselor: Client, members: dict[str, Any], due: dict[str, Any]
) -> None:
    andi = due["Andi Terlambat"]
    key = _key(andi, "mid")
    other = Client()
    other.force_login(
        MembershipFactory(user=UserFactory(), facility=andi.facility, role="counselor").user
    )
    move(other, andi, key, moved_to="25-11-2026", shown="16-11-2026", reason="Sidang.")
    response = move(
        counselor, andi, key, moved_to="30-11-2026", shown="16-11-2026", reason="Sakit."
    )
    assert response.status_code == 409
    form = response.context["form"]
    assert form.conflict is not None and "25/11/2026" in str(form.conflict.saved)
    assert form["reason"].value() == "Sakit."
    assert list(ReviewMove.objects.values_list("moved_to", flat=True)) == [d("25")]


@pytest.mark.django_db
def test_a_review_already_done_cannot_be_moved_and_only_the_counsellor_moves(
    client: Client, members: dict[str, Any], due: dict[str, Any]
) -> None:
    andi = due["Andi Terlambat"]
    key = _key(andi, "mid")
    client.force_login(members["health"])
    assert move(client, andi, key, moved_to="25-11-2026", shown="16-11-2026",
                reason="Sidang.").status_code == 403  # fmt: skip
    signer = CredentialFactory(user=members["health"]).user
    _signed(andi, signer, "ringan", d("20"))
    client.force_login(members["counselor"])
    response = move(client, andi, key, moved_to="25-11-2026", shown="16-11-2026", reason="Sidang.")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:reviews", args=[andi.pk])
    assert not ReviewMove.objects.exists()


@pytest.mark.django_db
def test_the_review_pages_query_counts_do_not_grow_with_the_data(
    counselor: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    case = Case("sedang", "2", [], enrolment=("active", 30, "9", "12"), positives=["5"])
    inmate = _build(case, facility_a, members)
    url = reverse("assessments:reviews", args=[inmate.pk])
    move_url = (
        reverse("assessments:review_move", args=[inmate.pk]) + f"?titik={_key(inmate, 'mid')}"
    )
    counselor.get(url)  # the first request of a session looks up its time zone
    # session, user, memberships, the WBP, the access log, assessments, enrolments, positive
    # tests, moves, the moves listed, session save (3)
    with django_assert_num_queries(13):
        counselor.get(url)
    # session, user, memberships, the WBP, assessments, enrolments, positive tests, moves,
    # session save (3)
    with django_assert_num_queries(11):
        counselor.get(move_url)
    for n in range(3):
        test = UrineTestFactory(inmate=inmate, tested_on=d(str(6 + n)), collector=members["health"])
        test.results.create(analyte="MET", result="positive")
        _signed(inmate, members["counselor"], "sedang", d("3"))  # an older one, still current
        ReviewMove.objects.create(
            facility=facility_a, inmate=inmate, key=f"urine:t{test.pk}", kind="urine",
            computed_on=d("2026-12-06"), moved_from=d("2026-12-06"), moved_to=d("2026-12-08"),
            reason=f"Geser {n}", by=members["counselor"],
        )  # fmt: skip
    with django_assert_num_queries(13):
        page = counselor.get(url).content.decode()
    assert page.count("Geser ") == 3
    with django_assert_num_queries(11):
        counselor.get(move_url)


# --- the data migration ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_dates_typed_by_hand_in_the_history(facility_a: Any) -> None:
    executor = MigrationExecutor(connection)
    before, after = (
        [("assessments", "0003_assessment_updated_by")],
        [("assessments", "0004_corrections_and_computed_reviews")],
    )
    inmate = InmateFactory(facility=facility_a, full_name="Lama")
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        assessor = old.get_model("auth", "User").objects.create(username="asesor.lama")
        Assessment = old.get_model("assessments", "Assessment")
        typed = Assessment.objects.create(
            facility_id=facility_a.pk, inmate_id=inmate.pk, assessed_on=d("2"), assessor=assessor,
            final_tier="sedang", mid_review_due=d("20"),
        )  # fmt: skip
        Assessment.objects.create(
            facility_id=facility_a.pk, inmate_id=inmate.pk, assessed_on=d("3"), assessor=assessor,
            final_tier="sedang",
        )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        entry = AuditEntry.objects.get(action="assessments.assessment.review_dates_computed")
        assert (entry.target_type, entry.target_id) == ("inmates.inmate", inmate.pk)
        assert entry.changes == {"mid_review_due": ["2026-11-20", None]}
        assert entry.summary == "Asesmen 02-11-2026 v1" and typed.pk
    finally:
        call_command("migrate", verbosity=0)
