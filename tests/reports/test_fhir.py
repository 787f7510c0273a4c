"""The FHIR R4 bundle for SATUSEHAT (reports/fhir.py, reports/fhir_views.py): valid against HL7's
R4 JSON schema, pseudonymous, health items for the clinical roles only, and the demo's counts."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from jsonschema import Draft6Validator, Draft7Validator

from assessments.models import AssistScreening, UrineTest
from inmates.models import Inmate
from programs.models import Enrolment, EnrolmentEvent, EnrolmentState
from rehab.models import AccessLog, Facility
from reports import fhir
from tests.conftest import DEFAULT_NOW
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    FacilityFactory,
    InmateFactory,
    MembershipFactory,
    ScreeningFactory,
    UrineTestFactory,
    UserFactory,
)

# HL7's R4 schema, cut to the resources of the bundle (tests/reports/fhir_schema_subset.py
# says where it comes from; CC0).
SCHEMA = json.loads((Path(__file__).parent / "fhir.r4.schema.json").read_text(encoding="utf-8"))
R4 = Draft6Validator(SCHEMA)

# What R4 requires and the HL7 schema cannot say (a required element may come as its `_element`
# twin there): cardinalities 1..1 and the transaction rules of the bundle (bdl-3, bdl-7).
# This project's own rule: a Patient is pseudonymous (no name, contact, address, photo or
# contact person; a birth year at most).
PSEUDONYMOUS = {
    "if": {"properties": {"resourceType": {"const": "Patient"}}},
    "then": {
        "not": {"anyOf": [{"required": [name]} for name in
                          ("name", "telecom", "address", "photo", "contact", "link")]},
        "properties": {"birthDate": {"pattern": "^[0-9]{4}$"}},
    },
}  # fmt: skip
PROFILE = {
    "type": "object",
    "required": ["resourceType", "type", "timestamp"],
    "properties": {
        "type": {"const": "transaction"},
        "entry": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["fullUrl", "resource", "request"],
                "properties": {
                    "fullUrl": {"type": "string", "pattern": "^urn:uuid:[0-9a-f-]{36}$"},
                    "request": {
                        "type": "object",
                        "required": ["method", "url"],
                        "properties": {"method": {"const": "PUT"}},
                    },
                    "resource": {
                        "type": "object",
                        "required": ["identifier"],
                        "allOf": [
                            {
                                "if": {"properties": {"resourceType": {"const": kind}}},
                                "then": {"required": required},
                            }
                            for kind, required in [
                                ("QuestionnaireResponse", ["status", "subject", "authored"]),
                                ("Observation", ["status", "code", "subject"]),
                                ("EpisodeOfCare", ["status", "patient", "managingOrganization"]),
                                ("Patient", ["gender", "managingOrganization"]),
                                ("Organization", ["name"]),
                            ]
                        ]
                        + [PSEUDONYMOUS],
                    },
                },
            },
        },
    },
}
PROFILE_CHECK = Draft7Validator(PROFILE)  # if/then: draft 7

pytestmark = pytest.mark.django_db


def errors(bundle: dict[str, Any]) -> list[str]:
    """Every way the bundle breaks R4 or the transaction profile."""
    found = [e.message for e in R4.iter_errors(bundle)]
    found += [e.message for e in PROFILE_CHECK.iter_errors(bundle)]
    return found


def by_type(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle.get("entry", []):
        grouped.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return grouped


def download(client: Client, username: str, **query: str) -> Any:
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(reverse("reports:fhir_bundle"), query)


# The whole demo year of Tanah Grogot (its records run from May to today, 20 November 2026).
DEMO_YEAR = {"dari": "01-01-2026", "sampai": "20-11-2026"}


def _grogot_query() -> dict[str, str]:
    return {"upt": str(Facility.objects.get(code="tanah-grogot").pk), **DEMO_YEAR}


@pytest.fixture(scope="module")
def demo(seeded: str, django_db_blocker: Any) -> dict[str, Any]:
    """The demo year of Tanah Grogot as its health worker and its staff download it, once for
    the module (at the suite's fixed instant), as {username: (response, bundle)}."""
    downloads = {}
    with (
        time_machine.travel(datetime.datetime.fromisoformat(DEFAULT_NOW), tick=False),
        django_db_blocker.unblock(),
    ):
        for username in ("nakes.grogot", "staf.grogot"):
            response = download(Client(), username, **_grogot_query())
            downloads[username] = (response, json.loads(response.content))
    return downloads


def test_the_trimmed_schema_is_a_valid_schema_that_knows_the_five_resources() -> None:
    Draft6Validator.check_schema(SCHEMA)
    kinds = {
        ref["$ref"].rsplit("/", 1)[-1] for ref in SCHEMA["definitions"]["ResourceList"]["oneOf"]
    }
    assert kinds == {"Organization", "Patient", "QuestionnaireResponse", "Observation",
                     "EpisodeOfCare"}  # fmt: skip


def test_the_demo_bundle_of_a_health_worker_validates_and_holds_the_demo_records(
    seeded: str, demo: dict[str, Any]
) -> None:
    response, bundle = demo["nakes.grogot"]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert 'filename="fhir-tanah-grogot-20260101-20261120.json"' in response["Content-Disposition"]
    assert errors(bundle) == []
    resources = by_type(bundle)
    # seed_demo says "tanah-grogot: 81 ASSIST screenings, 32 urine tests, ..." and "25
    # enrolments": all dated between May and today. Every urine test and every enrolment is of
    # a WBP who was screened, and each of the 81 screenings is another WBP (a sample of those in
    # custody), so 81 patients.
    assert "tanah-grogot: 81 ASSIST screenings, 32 urine tests" in seeded
    assert "tanah-grogot: 6 cohorts, 385 sessions, 25 enrolments" in seeded
    counts = {kind: len(items) for kind, items in resources.items()}
    assert counts == {"Organization": 1, "Patient": 81, "QuestionnaireResponse": 81,
                      "Observation": 32, "EpisodeOfCare": 25}  # fmt: skip
    facility = Facility.objects.get(code="tanah-grogot")
    screened = set(
        AssistScreening.objects.filter(facility=facility).values_list("inmate", flat=True)
    )
    assert len(screened) == 81
    assert (
        set(UrineTest.objects.filter(facility=facility).values_list("inmate", flat=True))
        <= screened
    )
    assert (
        set(Enrolment.objects.filter(facility=facility).values_list("inmate", flat=True))
        <= screened
    )


def test_every_reference_points_at_an_entry_of_the_bundle(demo: dict[str, Any]) -> None:
    bundle = demo["nakes.grogot"][1]
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    text = json.dumps(bundle, separators=(",", ":"))
    references = {part.split('"')[0] for part in text.split('"reference":"')[1:]}
    assert references and references <= urls


def test_an_assist_answer_carries_its_code_and_score_and_each_substance_its_ssis(
    demo: dict[str, Any],
) -> None:
    bundle = demo["nakes.grogot"][1]
    facility = Facility.objects.get(code="tanah-grogot")
    screening = AssistScreening.objects.filter(facility=facility).order_by("interviewed_on", "pk")[
        0
    ]
    response = next(
        r for r in by_type(bundle)["QuestionnaireResponse"]
        if r["identifier"]["value"] == str(screening.pk)
    )  # fmt: skip
    assert response["authored"] == screening.interviewed_on.isoformat()
    substances = {item["linkId"]: item for item in response["item"] if "item" in item}
    for answer in screening.answers.all():
        items = {i["linkId"]: i["answer"][0] for i in substances[answer.substance]["item"]}
        assert items[f"{answer.substance}.score"] == {"valueInteger": answer.score}
        assert items[f"{answer.substance}.level"]["valueCoding"]["code"] == answer.level
        for question, code in answer.answers().items():
            coding = items[f"{answer.substance}.{question}"]["valueCoding"]
            assert coding["code"] == code
            if question != "q1":
                assert coding["extension"][0]["valueDecimal"] >= 0
        # the scores of the answers add up to the SSIS (Q1 and, for tobacco, Q5 do not count)
        scored = [
            items[f"{answer.substance}.{q}"]["valueCoding"]["extension"][0]["valueDecimal"]
            for q in answer.answers()
            if q != "q1" and not (answer.substance == "tobacco" and q == "q5")
        ]
        assert sum(scored) == answer.score


def test_a_urine_panel_is_one_observation_with_a_component_per_analyte(
    demo: dict[str, Any],
) -> None:
    bundle = demo["nakes.grogot"][1]
    facility = Facility.objects.get(code="tanah-grogot")
    positive = UrineTest.objects.filter(facility=facility, results__result="positive").first()
    assert positive is not None
    observation = next(
        o for o in by_type(bundle)["Observation"] if o["identifier"][0]["value"] == str(positive.pk)
    )
    components = {c["code"]["coding"][0]["code"]: c for c in observation["component"]}
    assert set(components) == set(positive.results.values_list("analyte", flat=True))
    for row in positive.results.all():
        interpretation = components[row.analyte]["interpretation"][0]["coding"][0]["code"]
        assert (
            interpretation == {"positive": "POS", "negative": "NEG", "invalid": "IND"}[row.result]
        )
    assert observation["effectiveDateTime"] == positive.tested_on.isoformat()


def test_an_episode_of_care_follows_the_enrolment_state_and_its_history(
    demo: dict[str, Any],
) -> None:
    bundle = demo["staf.grogot"][1]
    episodes = {e["identifier"][0]["value"]: e for e in by_type(bundle)["EpisodeOfCare"]}
    facility = Facility.objects.get(code="tanah-grogot")
    for enrolment in Enrolment.objects.filter(facility=facility):
        episode = episodes[str(enrolment.pk)]
        assert episode["status"] == fhir.EPISODE_STATUS[EnrolmentState(enrolment.state)]
        states = EnrolmentEvent.objects.filter(enrolment=enrolment).order_by(
            "on", "created_at", "pk"
        )
        mapped = [
            fhir.EPISODE_STATUS[EnrolmentState(s)]
            for s in states.values_list("to_state", flat=True)
        ]
        folded = [s for n, s in enumerate(mapped) if n == 0 or mapped[n - 1] != s]
        history = episode.get("statusHistory", [])
        assert [h["status"] for h in history] == folded
        assert [h["period"].get("end") for h in history[:-1]] == [
            h["period"]["start"] for h in history[1:]
        ]
        if history:
            assert history[-1]["status"] == episode["status"]
        if enrolment.started_on:
            assert episode["period"]["start"] == enrolment.started_on.isoformat()
        if enrolment.ended_on:
            assert episode["period"]["end"] == enrolment.ended_on.isoformat()
    assert {e["status"] for e in episodes.values()} >= {"active", "planned", "finished"}


def test_a_role_without_health_access_gets_no_urine_or_assist(
    client: Client, demo: dict[str, Any]
) -> None:
    for username in ("staf.grogot", "karutan.grogot"):
        if username in demo:
            response, bundle = demo[username]
        else:
            response = download(client, username, **_grogot_query())
            bundle = json.loads(response.content)
        assert errors(bundle) == []
        counts = {kind: len(items) for kind, items in by_type(bundle).items()}
        enrolled = (
            Enrolment.objects.filter(facility__code="tanah-grogot")
            .values("inmate").distinct().count()
        )  # fmt: skip
        assert counts == {"Organization": 1, "Patient": enrolled, "EpisodeOfCare": 25}
        text = response.content.decode()
        assert "Positif" not in text and "Negatif" not in text and "assist" not in text
    log = AccessLog.objects.filter(action="report.fhir", username="karutan.grogot").get()
    assert "tanpa data kesehatan" in log.detail


def test_no_name_registration_number_or_nik_is_anywhere_in_the_bundle(
    demo: dict[str, Any],
) -> None:
    text = demo["nakes.grogot"][0].content.decode()
    inmates = Inmate.objects.filter(facility__code="tanah-grogot")
    assert inmates.count() >= 81
    for inmate in inmates:
        for value in (inmate.full_name, inmate.registration_number, inmate.nik, inmate.address):
            if value:
                assert value not in text, value
        if inmate.birth_date:  # the year only
            assert inmate.birth_date.isoformat() not in text
    for user in get_user_model().objects.all():  # nor who interviewed or tested
        assert f'"{user.get_full_name()}"' not in text or not user.get_full_name()


def test_the_patient_identifier_is_the_same_in_every_export_and_says_nothing(
    demo: dict[str, Any],
) -> None:
    first, again = by_type(demo["nakes.grogot"][1]), by_type(demo["staf.grogot"][1])
    ids = {p["identifier"][0]["value"] for p in first["Patient"]}
    assert {p["identifier"][0]["value"] for p in again["Patient"]} <= ids
    numbers = {str(pk) for pk in Inmate.objects.values_list("pk", flat=True)}
    assert not ids & numbers
    assert all(len(value) == 32 for value in ids)


def test_an_empty_period_is_a_valid_empty_bundle(client: Client, seeded: str) -> None:
    response = download(
        client, "nakes.grogot", upt=_grogot_query()["upt"], dari="01-01-2025", sampai="31-12-2025"
    )
    assert response.status_code == 200
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle" and "entry" not in bundle
    assert [e.message for e in R4.iter_errors(bundle)] == []


@pytest.mark.parametrize(
    ("break_it", "why"),
    [
        (lambda b: b.pop("resourceType"), "missing resourceType"),
        (lambda b: b.update(type="bundle"), "unknown bundle type"),
        (lambda b: _first(b, "EpisodeOfCare").update(status="selesai"), "bad status"),
        (lambda b: _first(b, "Observation").update(status="done"), "bad status"),
        (lambda b: _first(b, "QuestionnaireResponse").update(stauts="completed"), "typo"),
        (lambda b: _first(b, "Patient").update(birthDate="17-05-1990"), "not a FHIR date"),
        (lambda b: _first(b, "Patient").update(gender="L"), "gender code"),
        (lambda b: _first(b, "Patient").update(name=[{"txt": "Budi"}]), "typo in a HumanName"),
        (lambda b: _first(b, "Patient").update(name=[{"text": "Budi"}]), "a name"),
        (lambda b: _first(b, "Patient").update(birthDate="1990-05-17"), "more than the year"),
        (lambda b: _first(b, "EpisodeOfCare").pop("status"), "R4 1..1"),
        (lambda b: _first(b, "Observation").pop("code"), "R4 1..1"),
        (lambda b: b["entry"][0].pop("request"), "transaction entry without request"),
        (lambda b: b["entry"][0]["resource"].update(resourceType="Encounter"), "not ours"),
        (lambda b: b.update(timestamp="2026-11-20"), "instant needs a time"),
    ],
)
def test_a_broken_bundle_fails_validation(demo: dict[str, Any], break_it: Any, why: str) -> None:
    broken = copy.deepcopy(demo["nakes.grogot"][1])
    break_it(broken)
    assert errors(broken), why


def _first(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    return by_type(bundle)[kind][0]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"dari": "20-11-2026", "sampai": "01-11-2026"}, "sampai",
         "Tanggal akhir tidak boleh sebelum tanggal awal."),
        ({"dari": "01-01-2025", "sampai": "20-11-2026"}, "sampai",
         "Satu berkas paling banyak 366 hari; bagi periodenya."),
        ({"dari": "01-11-2026", "sampai": "21-11-2026"}, "sampai",
         "Tanggal akhir tidak boleh di masa depan."),
        ({"dari": "31-02-2026", "sampai": "20-11-2026"}, "dari",
         "Tulis tanggal sebagai hh-bb-tttt."),
        ({"dari": "01-01-1999", "sampai": "20-11-2026"}, "dari",
         "Tanggal awal terlalu lama (paling awal tahun 2000)."),
        ({"dari": "1" * 5000, "sampai": "20-11-2026"}, "dari", "Tulis tanggal sebagai hh-bb-tttt."),
        ({"dari": "", "sampai": ""}, "dari", "Bidang ini tidak boleh kosong."),
        ({"upt": "999999", "dari": "01-11-2026", "sampai": "20-11-2026"}, "upt",
         "Pilih salah satu UPT yang ada."),
    ],
)  # fmt: skip
def test_a_bad_period_gets_an_indonesian_message_beside_the_field_and_no_file(
    client: Client, seeded: str, query: dict[str, str], field: str, message: str
) -> None:
    full = {"upt": _grogot_query()["upt"], **query}
    logged = list(AccessLog.objects.values_list("pk", flat=True))
    response = download(client, "nakes.grogot", **full)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.context["form"].errors[field][0] or message in str(
        response.context["form"].errors[field]
    )
    assert message.split(" (")[0] in response.content.decode()
    assert (
        not AccessLog.objects.filter(action="report.fhir", username="nakes.grogot")
        .exclude(pk__in=logged)
        .exists()
    )


def test_a_facility_the_user_is_not_a_member_of_is_refused_like_an_unknown_one(
    client: Client, seeded: str
) -> None:
    other = Facility.objects.get(code="banjarnegara")
    response = download(client, "nakes.grogot", upt=str(other.pk), **DEMO_YEAR)
    assert response["Content-Type"].startswith("text/html")
    assert "Pilih salah satu UPT yang ada." in response.content.decode()


def test_the_page_offers_the_users_facilities_and_this_year(client: Client, seeded: str) -> None:
    client.force_login(get_user_model().objects.get(username="staf.grogot"))
    page = client.get(reverse("reports:fhir_export")).content.decode()
    assert "Rutan Kelas IIB Tanah Grogot" in page and "Banjarnegara" not in page
    assert 'value="01-01-2026"' in page and 'value="20-11-2026"' in page
    assert reverse("reports:fhir_bundle") in page


def test_without_a_period_the_download_is_this_year_of_the_first_facility(
    client: Client, seeded: str
) -> None:
    response = download(client, "konselor.grogot")
    assert 'filename="fhir-tanah-grogot-20260101-20261120.json"' in response["Content-Disposition"]
    assert len(by_type(json.loads(response.content))["QuestionnaireResponse"]) == 81


def test_the_download_is_in_the_access_log(client: Client, seeded: str) -> None:
    logged = list(AccessLog.objects.values_list("pk", flat=True))
    download(client, "nakes.grogot", **_grogot_query())
    log = AccessLog.objects.exclude(pk__in=logged).get(action="report.fhir")
    assert log.facility.code == "tanah-grogot" and log.username == "nakes.grogot"
    assert log.roles == "health"
    assert log.detail == (
        "fhir-tanah-grogot-20260101-20261120.json: Organization 1, Patient 81, "
        "QuestionnaireResponse 81, Observation 32, EpisodeOfCare 25"
    )


def _one_of_each(facility: Facility) -> None:
    inmate = InmateFactory(facility=facility)
    screening = ScreeningFactory(inmate=inmate, interviewed_on=datetime.date(2026, 11, 2))
    screening.answers.create(substance="cannabis", q1="yes", q2="never", score=0, level="low")
    test = UrineTestFactory(inmate=inmate, tested_on=datetime.date(2026, 11, 3))
    test.results.create(analyte="THC", result="negative")
    cohort = CohortFactory(facility=facility)
    enrolment = Enrolment.objects.create(
        facility=facility, inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=AssessmentFactory(inmate=inmate), state="proposed",
    )  # fmt: skip
    enrolment.events.create(to_state="proposed", on=datetime.date(2026, 11, 4), reason="x",
                            by=UserFactory())  # fmt: skip


def test_the_download_costs_the_same_queries_for_one_record_or_the_demo_year(
    client: Client, seeded: str, django_assert_num_queries: Any
) -> None:
    small = FacilityFactory(code="kecil")
    _one_of_each(small)
    user = MembershipFactory(user=UserFactory(username="nakes.kecil"), facility=small,
                             role="health").user  # fmt: skip
    # sign-in (session, user, second step, time zone, memberships), the form's facility,
    # screenings and answers, urine tests, results and corrections, enrolments and their
    # events, the WBP and their first records, and the access-log row with the request's
    # savepoint and session save
    client.force_login(user)
    query = {"upt": str(small.pk), **DEMO_YEAR}
    with django_assert_num_queries(19) as small_run:
        response = client.get(reverse("reports:fhir_bundle"), query)
    assert len(by_type(json.loads(response.content))["Observation"]) == 1
    client.force_login(get_user_model().objects.get(username="nakes.grogot"))
    grogot = _grogot_query()
    with django_assert_num_queries(len(small_run.captured_queries)):
        client.get(reverse("reports:fhir_bundle"), grogot)


def test_the_report_archive_links_to_the_page_for_the_roles_that_may_export(
    client: Client, seeded: str
) -> None:
    link = reverse("reports:fhir_export")
    for username, shown in (("karutan.grogot", True), ("supervisor.kaltim", False)):
        client.force_login(get_user_model().objects.get(username=username))
        assert (link in client.get(reverse("reports:archive")).content.decode()) is shown


def test_the_confidentiality_walk_meets_the_results_in_the_clinical_download_only(
    client: Client, members: dict[str, Any], route_objects: dict[str, Any]
) -> None:
    # The walk (tests/assessments/test_confidentiality.py) opens the download without a period:
    # this year so far holds the route objects' urine test, screening and enrolments.
    route_objects["urine"]["own"].results.create(analyte="MET", result="positive")
    seen = {}
    for role in ("health", "counselor", "staff", "warden"):
        client.force_login(members[role])
        response = client.get(reverse("reports:fhir_bundle"))
        bundle = json.loads(response.content)
        assert errors(bundle) == [], role
        seen[role] = response.content.decode()
        # enrolments without a dated state change (made directly here) are episodes too
        assert len(by_type(bundle)["EpisodeOfCare"]) == 2
    for role in ("health", "counselor"):
        assert "Positif" in seen[role] and "QuestionnaireResponse" in seen[role]
    for role in ("staff", "warden"):
        assert "Positif" not in seen[role] and "QuestionnaireResponse" not in seen[role]
        assert "Observation" not in seen[role]


def test_the_page_costs_the_same_queries_for_one_facility_or_several(
    client: Client, members: dict[str, Any], facility_b: Facility, django_assert_num_queries: Any
) -> None:
    warden = members["warden"]
    client.force_login(warden)
    client.get(reverse("reports:fhir_export"))  # the first request after sign-in reads more
    # session, user, memberships, the first facility, the choices, the navigation's, and the
    # session saved in its savepoint
    with django_assert_num_queries(9) as one:
        client.get(reverse("reports:fhir_export"))
    MembershipFactory(user=warden, facility=facility_b, role="warden")
    MembershipFactory(user=warden, facility=FacilityFactory(code="ketiga"), role="staff")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("reports:fhir_export")).content.decode()
    assert "Banjarnegara" in page


def test_one_person_keeps_one_pseudonym_through_transfers_and_readmissions(
    facility_a: Facility, facility_b: Facility
) -> None:
    first = InmateFactory(facility=facility_a, status="transferred")
    received = InmateFactory(facility=facility_b, previous_episode=first, status="released")
    readmitted = InmateFactory(facility=facility_b, previous_episode=received)
    for inmate in (first, received, readmitted):
        ScreeningFactory(inmate=inmate, interviewed_on=datetime.date(2026, 11, 2))
    start, end = datetime.date(2026, 11, 1), datetime.date(2026, 11, 20)
    at_a = fhir.bundle(facility=facility_a, start=start, end=end, with_health=True).bundle
    at_b = fhir.bundle(facility=facility_b, start=start, end=end, with_health=True).bundle
    assert errors(at_b) == []
    (patient_a,), (patient_b,) = by_type(at_a)["Patient"], by_type(at_b)["Patient"]
    assert patient_a["identifier"] == patient_b["identifier"]
    assert patient_b["identifier"][0]["value"] == fhir.pseudonym(first.pk)
    # both records of the readmitted WBP point at the one Patient of the bundle
    subjects = {r["subject"]["reference"] for r in by_type(at_b)["QuestionnaireResponse"]}
    assert subjects == {at_b["entry"][1]["fullUrl"]}
    assert fhir.first_record_of([readmitted.pk, first.pk]) == {
        readmitted.pk: first.pk,
        first.pk: first.pk,
    }
