"""A facility's period as a FHIR R4 Bundle ready for SATUSEHAT: Patient (pseudonymous), the ASSIST
interviews as QuestionnaireResponse, the urine tests as Observation, the programme enrolments as
EpisodeOfCare, and the facility as the Organization that manages them.

The Bundle is a `transaction`: SATUSEHAT's bundle endpoint takes one, it is applied all or
nothing, and every entry is a conditional PUT on the resource's business identifier, so sending
an overlapping period again updates what was sent before instead of duplicating it. Entries
refer to each other by `urn:uuid:` full URLs derived from those identifiers (the same resource
has the same URL in every export).

No name, registration number, NIK, address or date of birth leaves: a Patient is a keyed hash
of the person's first WBP record (stable while SECRET_KEY is; the same after a transfer or a
readmission, which link each record to the one before), sex and birth year. Urine results and ASSIST
answers are health data: they are included only when `with_health` is set, which the view does
for the roles that may see health results (rehab.access "health.view_result").

Codes: LOINC is not used (no urine-screen code here is one we are sure of); the analytes, answers,
programme tiers and states are codes of local code systems under REHAB_FHIR_NAMESPACE.
HL7's own code systems are used where the meaning is exact (observation category, v3
interpretation POS/NEG/IND, the R4 ordinalValue extension for an answer's ASSIST score).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Min, Prefetch, Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from assessments import scoring
from assessments.forms import EVER_CHOICES, FREQUENCY_CHOICES, Q1_CHOICES, QUESTION_LABELS
from assessments.models import (
    Analyte,
    AssistScreening,
    CorrectionState,
    Injection,
    InjectionPattern,
    ReferencePeriod,
    Substance,
    TestResult,
    Tier,
    UrineCorrection,
    UrinePanel,
    UrineTest,
)
from inmates.models import Inmate, Sex
from programs.models import Enrolment, EnrolmentEvent, EnrolmentState
from rehab.models import Facility

FHIR_JSON = "application/fhir+json"
HL7 = "http://terminology.hl7.org/CodeSystem"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

# EpisodeOfCare.status (R4 value set episode-of-care-status) for each enrolment state. A place
# given but not yet started is planned; a drop-out and a refused proposal are "cancelled" (R4:
# services ended outside the planned workflow); a tier change ends this episode as planned, the
# next enrolment is the new one.
EPISODE_STATUS = {
    EnrolmentState.PROPOSED: "planned",
    EnrolmentState.WAITLISTED: "waitlist",
    EnrolmentState.PLACED: "planned",
    EnrolmentState.ACTIVE: "active",
    EnrolmentState.COMPLETED: "finished",
    EnrolmentState.DROPPED_OUT: "cancelled",
    EnrolmentState.CHANGED: "finished",
    EnrolmentState.REJECTED: "cancelled",
}
GENDER = {Sex.MALE: "male", Sex.FEMALE: "female"}
INTERPRETATION = {
    TestResult.POSITIVE: ("POS", "Positive"),
    TestResult.NEGATIVE: ("NEG", "Negative"),
    TestResult.INVALID: ("IND", "Indeterminate"),
}
ANSWER_LABELS = {
    "q1": dict(Q1_CHOICES),
    **{q: dict(FREQUENCY_CHOICES) for q in ("q2", "q3", "q4", "q5")},
    **{q: dict(EVER_CHOICES) for q in ("q6", "q7")},
}


def namespace() -> str:
    """The base of this deployment's identifier systems and code systems (no trailing slash)."""
    return str(settings.REHAB_FHIR_NAMESPACE).rstrip("/")


def system(name: str) -> str:
    """A local identifier or code system: ``<namespace>/<name>``."""
    return f"{namespace()}/{name}"


def pseudonym(inmate_id: int) -> str:
    """The WBP's identifier outside rehab: a keyed hash, not reversible without SECRET_KEY."""
    return salted_hmac("rehab.reports.fhir.patient", str(inmate_id)).hexdigest()[:32]


@dataclass
class Export:
    """What one bundle holds, for the access log and the tests."""

    bundle: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, facility: Facility) -> None:
        self.facility = facility
        self.entries: list[dict[str, Any]] = []
        self.patients: dict[int, str] = {}  # inmate id -> full URL
        self.organization_url = ""

    def add(self, resource: dict[str, Any], identifier: dict[str, str]) -> str:
        kind = resource["resourceType"]
        key = f"{identifier['system']}|{identifier['value']}"
        full_url = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"
        self.entries.append(
            {
                "fullUrl": full_url,
                "resource": resource,
                "request": {
                    "method": "PUT",
                    "url": f"{kind}?identifier={key}",
                },
            }
        )
        return full_url

    def organization(self) -> str:
        facility = self.facility
        identifier = {"system": system("upt"), "value": facility.code}
        address = {"district": facility.regency, "state": facility.province, "country": "ID"}
        resource = {
            "resourceType": "Organization",
            "identifier": [identifier],
            "active": facility.active,
            "type": [
                _concept(system("CodeSystem/upt-kind"), facility.kind, _label(facility, "kind"))
            ],
            "name": facility.name,
            "address": [{k: v for k, v in address.items() if v}],
        }
        return self.add(resource, identifier)

    def patient(self, inmate: Inmate, person: int, organization: str) -> str:
        identifier = {"system": system("wbp-pseudonym"), "value": pseudonym(person)}
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": [identifier],
            "gender": GENDER.get(Sex(inmate.sex), "unknown") if inmate.sex else "unknown",
        }
        if inmate.birth_date:  # the year only: a partial FHIR date
            resource["birthDate"] = f"{inmate.birth_date.year:04d}"
        resource["managingOrganization"] = {"reference": organization}
        return self.add(resource, identifier)


def _label(obj: Any, name: str) -> str:
    return str(getattr(obj, f"get_{name}_display")())


def _coding(code_system: str, code: str, display: Any = None) -> dict[str, Any]:
    coding = {"system": code_system, "code": code}
    if display:
        coding["display"] = str(display)
    return coding


def _concept(code_system: str, code: str, display: Any = None) -> dict[str, Any]:
    return {"coding": [_coding(code_system, code, display)]}


def _item(link_id: str, text: Any, *answers: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "text": str(text), "answer": list(answers)}


def _screening(builder: _Builder, screening: AssistScreening, patient: str) -> None:
    answer_codes = system("CodeSystem/assist-answer")
    items = []
    for answer in sorted(
        screening.answers.all(), key=lambda a: scoring.SUBSTANCES.index(a.substance)
    ):
        given = answer.answers()
        questions = []
        for q in scoring.QUESTIONS:
            if q not in given:
                continue  # skipped by the form's skip logic (scores 0)
            coding = _coding(answer_codes, given[q], ANSWER_LABELS[q].get(given[q]))
            if q in scoring.ANSWER_SCORES:
                coding["extension"] = [
                    {"url": ORDINAL_VALUE, "valueDecimal": scoring.ANSWER_SCORES[q][given[q]]}
                ]
            questions.append(
                _item(f"{answer.substance}.{q}", QUESTION_LABELS[q], {"valueCoding": coding})
            )
        if answer.substance == Substance.OTHER and screening.other_substance:
            questions.insert(
                0,
                _item(
                    "other.name",
                    "Zat lain, sebutkan",
                    {"valueString": screening.other_substance},
                ),
            )
        questions.append(_item(f"{answer.substance}.score", "SSIS", {"valueInteger": answer.score}))
        questions.append(
            _item(
                f"{answer.substance}.level",
                "Tingkat risiko",
                {
                    "valueCoding": _coding(
                        system("CodeSystem/assist-risk"), answer.level, _label(answer, "level")
                    )
                },
            )
        )
        items.append(
            {"linkId": answer.substance, "text": _label(answer, "substance"), "item": questions}
        )
    items.append(
        _item(
            "q8",
            "Q8 · Pernah memakai zat dengan cara disuntik (non-medis)",
            {
                "valueCoding": {
                    **_coding(answer_codes, screening.injection, _label(screening, "injection")),
                    "extension": [
                        {
                            "url": ORDINAL_VALUE,
                            "valueDecimal": scoring.injection_score(screening.injection),
                        }
                    ],
                }
            },
        )
    )
    if screening.injection == Injection.PAST_3_MONTHS and screening.injection_pattern:
        items.append(
            _item(
                "q8.pattern",
                "Pola menyuntik 3 bulan terakhir",
                {
                    "valueCoding": _coding(
                        answer_codes,
                        InjectionPattern(screening.injection_pattern).value,
                        _label(screening, "injection_pattern"),
                    )
                },
            )
        )
    items.append(
        _item(
            "reference_period",
            "Periode acuan",
            {
                "valueCoding": _coding(
                    system("CodeSystem/assist-reference-period"),
                    ReferencePeriod(screening.reference_period).value,
                    _label(screening, "reference_period"),
                )
            },
        )
    )
    if screening.main_substance:
        items.append(
            _item(
                "main",
                "Zat utama",
                {
                    "valueCoding": _coding(
                        system("CodeSystem/assist-substance"),
                        screening.main_substance,
                        _label(screening, "main_substance"),
                    )
                },
            )
        )
    identifier = {"system": system("assist"), "value": str(screening.pk)}
    resource = {
        "resourceType": "QuestionnaireResponse",
        "identifier": identifier,
        "questionnaire": system("Questionnaire/assist-v3.1"),
        "status": "completed",
        "subject": {"reference": patient},
        "authored": screening.interviewed_on.isoformat(),
        "item": items,
    }
    builder.add(resource, identifier)


def _urine(builder: _Builder, test: UrineTest, patient: str) -> None:
    analytes = system("CodeSystem/urine-analyte")
    results = system("CodeSystem/urine-result")
    order = list(Analyte.values)
    components = []
    for row in sorted(test.results.all(), key=lambda r: order.index(r.analyte)):
        code, display = INTERPRETATION[TestResult(row.result)]
        components.append(
            {
                "code": _concept(analytes, row.analyte, _label(row, "analyte")),
                "valueCodeableConcept": _concept(results, row.result, _label(row, "result")),
                "interpretation": [_concept(f"{HL7}/v3-ObservationInterpretation", code, display)],
            }
        )
    corrected = any(c.state == CorrectionState.CONFIRMED for c in test.corrections.all())
    identifier = {"system": system("urine-test"), "value": str(test.pk)}
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "identifier": [identifier],
        "status": "corrected" if corrected else "final",
        "category": [_concept(f"{HL7}/observation-category", "laboratory", "Laboratory")],
        "code": {
            **_concept(
                system("CodeSystem/urine-panel"),
                UrinePanel(test.panel).value,
                _label(test, "panel"),
            ),
            "text": "Tes urine cepat (rapid test) narkotika",
        },
        "subject": {"reference": patient},
        "effectiveDateTime": test.tested_on.isoformat(),
        "performer": [{"reference": builder.organization_url}],
    }
    if test.confirmation_result:
        resource["note"] = [
            {"text": f"Uji konfirmasi laboratorium: {_label(test, 'confirmation_result')}"}
        ]
    if components:
        resource["component"] = components
    builder.add(resource, identifier)


def _episode(builder: _Builder, enrolment: Enrolment, patient: str) -> None:
    events: list[EnrolmentEvent] = list(enrolment.events.all())
    history: list[dict[str, Any]] = []
    for event in events:
        status = EPISODE_STATUS[EnrolmentState(event.to_state)]
        if history and history[-1]["status"] == status:
            continue  # proposed, then placed: planned all along
        if history:
            history[-1]["period"]["end"] = event.on.isoformat()
        history.append({"status": status, "period": {"start": event.on.isoformat()}})
    start = enrolment.started_on
    if start is None:  # not started: the cohort's planned first day, else when it was proposed
        opened: datetime.date | None = getattr(enrolment, "opened_on", None)  # enrolments_in
        start = enrolment.cohort.start_date if enrolment.cohort else opened
    period: dict[str, str] = {}
    if start:
        period["start"] = start.isoformat()
    if enrolment.ended_on:
        period["end"] = enrolment.ended_on.isoformat()
    track = enrolment.track
    identifier = {"system": system("enrolment"), "value": str(enrolment.pk)}
    resource: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "identifier": [identifier],
        "status": EPISODE_STATUS[EnrolmentState(enrolment.state)],
    }
    if history:
        resource["statusHistory"] = history
    # Two concepts, not two codings of one: the tier and the kind of programme (Sedang, TC).
    resource["type"] = [
        _concept(
            system("CodeSystem/programme-tier"), Tier(track.tier).value, _label(track, "tier")
        ),
        {
            **_concept(system("CodeSystem/programme-kind"), track.kind, _label(track, "kind")),
            "text": track.name,
        },
    ]
    resource["patient"] = {"reference": patient}
    resource["managingOrganization"] = {"reference": builder.organization_url}
    if period:
        resource["period"] = period
    builder.add(resource, identifier)


def enrolments_in(facility: Facility, start: datetime.date, end: datetime.date) -> Any:
    """The facility's enrolments open at some time in the period: opened (first state change,
    else started) by its end and not ended before its start."""
    return (
        Enrolment.objects.filter(facility=facility)
        .annotate(opened_on=Min("events__on"))
        .filter(Q(opened_on__lte=end) | Q(opened_on__isnull=True, started_on__lte=end)
                | Q(opened_on__isnull=True, started_on__isnull=True))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    )  # fmt: skip


def bundle(
    *, facility: Facility, start: datetime.date, end: datetime.date, with_health: bool
) -> Export:
    """The facility's resources of the period (both days included) as a transaction Bundle,
    its texts in Bahasa Indonesia whatever the language of the page that asked for it."""
    with translation.override("id"):
        return _bundle(facility=facility, start=start, end=end, with_health=with_health)


def _bundle(
    *, facility: Facility, start: datetime.date, end: datetime.date, with_health: bool
) -> Export:
    builder = _Builder(facility)
    screenings: list[AssistScreening] = []
    tests: list[UrineTest] = []
    if with_health:
        screenings = list(
            AssistScreening.objects.filter(facility=facility, interviewed_on__range=(start, end))
            .prefetch_related("answers")
            .order_by("interviewed_on", "pk")
        )
        tests = list(
            UrineTest.objects.filter(facility=facility, tested_on__range=(start, end))
            .prefetch_related(
                "results",
                Prefetch(
                    "corrections",
                    queryset=UrineCorrection.objects.filter(state=CorrectionState.CONFIRMED),
                ),
            )
            .order_by("tested_on", "pk")
        )
    enrolments = list(
        enrolments_in(facility, start, end)
        .select_related("track", "cohort")
        .prefetch_related(
            Prefetch("events", queryset=EnrolmentEvent.objects.order_by("on", "created_at", "pk"))
        )
        .order_by("pk")
    )
    inmate_ids = _unique(
        [s.inmate_id for s in screenings]
        + [t.inmate_id for t in tests]
        + [e.inmate_id for e in enrolments]
    )
    counts = {
        "Organization": 0,
        "Patient": 0,
        "QuestionnaireResponse": len(screenings),
        "Observation": len(tests),
        "EpisodeOfCare": len(enrolments),
    }
    if inmate_ids:  # an empty period is an empty Bundle: no Organization on its own
        builder.organization_url = builder.organization()
        counts["Organization"] = 1
        inmates = Inmate.objects.only("pk", "sex", "birth_date").in_bulk(inmate_ids)
        first_records = first_record_of(inmate_ids)
        people: dict[int, str] = {}  # first record -> the Patient's full URL
        for inmate_id in inmate_ids:  # two records of one person (readmitted): one Patient
            person = first_records[inmate_id]
            if person not in people:
                people[person] = builder.patient(
                    inmates[inmate_id], person, builder.organization_url
                )
            builder.patients[inmate_id] = people[person]
        counts["Patient"] = len(people)
    for screening in screenings:
        _screening(builder, screening, builder.patients[screening.inmate_id])
    for test in tests:
        _urine(builder, test, builder.patients[test.inmate_id])
    for enrolment in enrolments:
        _episode(builder, enrolment, builder.patients[enrolment.inmate_id])
    result: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
    }
    if builder.entries:  # FHIR JSON has no empty arrays
        result["entry"] = builder.entries
    return Export(bundle=result, counts=counts)


# The chain of a WBP's records back to the first (a transfer's or a readmission's record names
# the one before as its previous episode), in one query whatever the length of the chains.
_FIRST_RECORDS = """
WITH RECURSIVE chain(record_id, id, previous_id) AS (
    SELECT id, id, previous_episode_id FROM {table} WHERE id IN ({ids})
    UNION
    SELECT chain.record_id, earlier.id, earlier.previous_episode_id
    FROM {table} AS earlier JOIN chain ON earlier.id = chain.previous_id
)
SELECT record_id, id FROM chain WHERE previous_id IS NULL
"""


def first_record_of(inmate_ids: list[int]) -> dict[int, int]:
    """The first record of each WBP's chain of records: one person, one pseudonym, in every
    UPT the person passed through."""
    if not inmate_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(inmate_ids))
    with connection.cursor() as cursor:
        sql = _FIRST_RECORDS.format(table=Inmate._meta.db_table, ids=placeholders)
        cursor.execute(sql, inmate_ids)
        found = dict(cursor.fetchall())
    # a chain that loops (never made by rehab) has no first record: the record stands alone
    return {pk: found.get(pk, pk) for pk in inmate_ids}


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
