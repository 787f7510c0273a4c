"""Personal data rights and limits (UU 27/2022 PDP): the subject-access export of one WBP.

`subject_access(inmate)` gathers everything held about one person: the record of each of his
admissions (episodes), custody events, screenings, urine and health results, assessments,
programme enrolments with their attendance, notes and follow-ups, skills training, the
release plan, post-release follow-ups, the change history of all of it and the access log
of who read it. `export_zip` packs it as data.json plus a PDF summary, and audits the export.

Rows are serialised field by field; a foreign key is written as its id, and for a person
(staff) or a facility also as the name: never as another record's text, so that nothing of
another WBP can come along through a relation.
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    AssistScreening,
    HealthCorrection,
    HealthScreening,
    ReviewMove,
    UrineCorrection,
    UrineTest,
)
from inmates.models import Inmate
from programs.completion.models import Certificate, CompletionWaiver
from programs.models import (
    Aftercare,
    Attendance,
    CourseAttendance,
    Enrolment,
    ReleasePlan,
    Trainee,
)
from rehab import audit
from rehab.models import AccessLog, AuditEntry, Facility, display_name
from rehab.pdf import render_pdf

# Fields kept for the search and the duplicate check: derived from the others, not data.
SKIPPED_FIELDS = {"search_text", "name_key"}
# Episodes of one person followed through previous_episode, at most (as on the case file).
MAX_EPISODES = 50

# (key in data.json, title in the PDF)
SECTIONS: list[tuple[str, Any]] = [
    ("records", _("Data WBP (setiap episode penahanan)")),
    ("case_articles", _("Pasal")),
    ("custody_events", _("Peristiwa penahanan")),
    ("screenings", _("Skrining ASSIST")),
    ("urine_tests", _("Tes urine")),
    ("urine_corrections", _("Koreksi hasil tes urine")),
    ("health_screenings", _("Skrining kesehatan")),
    ("health_corrections", _("Koreksi skrining kesehatan")),
    ("assessments", _("Asesmen")),
    ("review_moves", _("Perubahan jadwal asesmen ulang")),
    ("enrolments", _("Program rehabilitasi")),
    ("attendance", _("Kehadiran sesi")),
    ("progress_notes", _("Catatan perkembangan")),
    ("follow_ups", _("Tindak lanjut")),
    ("skills", _("Pelatihan keterampilan")),
    ("skills_attendance", _("Kehadiran pelatihan")),
    ("completion_waivers", _("Pengecualian syarat kehadiran")),
    ("certificates", _("Sertifikat")),
    ("release_plans", _("Rencana pembebasan")),
    ("aftercare", _("Pemantauan pascarehabilitasi")),
    ("history", _("Riwayat perubahan")),
    ("access_log", _("Log akses: siapa membuka data ini")),
]


@dataclass
class Export:
    inmate: Inmate
    data: dict[str, Any]
    json_bytes: bytes
    pdf_bytes: bytes
    zip_bytes: bytes


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


class _Serialiser:
    """Rows to plain dicts, with the names of staff and facilities looked up once each."""

    def __init__(self) -> None:
        self.names: dict[tuple[type, int], str] = {}
        self.user_model = get_user_model()

    def _name(self, model: type[models.Model], pk: int) -> str | None:
        key = (model, pk)
        if key not in self.names:
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None:
                self.names[key] = ""
            elif isinstance(obj, Facility):
                self.names[key] = obj.name
            else:
                self.names[key] = display_name(obj)
        return self.names[key] or None

    def row(self, obj: models.Model, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"id": obj.pk}
        for field in obj._meta.concrete_fields:
            if field.name in SKIPPED_FIELDS or field.primary_key:
                continue
            if isinstance(field, models.FileField):
                data[field.name] = getattr(obj, field.name).name or None
                continue
            if field.is_relation:
                pk = getattr(obj, field.attname)
                data[field.attname] = pk
                related = field.related_model
                if pk is not None and related in (self.user_model, Facility):
                    data[field.name] = self._name(related, pk)  # type: ignore[arg-type]
                continue
            value = getattr(obj, field.attname)
            data[field.name] = _plain(value)
            if field.choices and value not in (None, ""):
                data[f"{field.name}_label"] = str(dict(field.flatchoices).get(value, value))
        data.update(extra)
        return data

    def rows(self, objects: Any, **extra: Any) -> list[dict[str, Any]]:
        return [self.row(obj, **extra) for obj in objects]


def episodes_of(inmate: Inmate, facility_ids: set[int] | None = None) -> list[Inmate]:
    """Return the person's admissions, this one first, then the earlier and later ones linked
    through previous_episode (only those of facility_ids when given)."""
    found: dict[int, Inmate] = {inmate.pk: inmate}
    frontier = [inmate]
    while frontier and len(found) <= MAX_EPISODES:
        earlier = {e.previous_episode_id for e in frontier} - {None} - set(found)
        step = list(
            Inmate.objects.filter(
                Q(pk__in=earlier) | Q(previous_episode__in=[e.pk for e in frontier])
            ).exclude(pk__in=list(found))
        )
        found.update((e.pk, e) for e in step)
        frontier = step
    others = [
        e
        for pk, e in sorted(found.items())
        if pk != inmate.pk and (facility_ids is None or e.facility_id in facility_ids)
    ]
    return [inmate, *others]


def collect(inmate: Inmate, *, facility_ids: set[int] | None = None) -> dict[str, Any]:
    """Return everything held about the person of this record, as plain JSON-able data."""
    s = _Serialiser()
    people = episodes_of(inmate, facility_ids)
    ids = [p.pk for p in people]
    enrolments = list(Enrolment.objects.filter(inmate__in=ids).select_related("track", "cohort"))
    trainees = list(Trainee.objects.filter(inmate__in=ids).select_related("course"))
    urine = list(UrineTest.objects.filter(inmate__in=ids).prefetch_related("results"))
    health = list(HealthScreening.objects.filter(inmate__in=ids))
    screenings = list(AssistScreening.objects.filter(inmate__in=ids).prefetch_related("answers"))
    assessments = list(
        Assessment.objects.filter(inmate__in=ids).prefetch_related(
            "domains", "substance_uses", "plan_items"
        )
    )
    attendance = Attendance.objects.filter(enrolment__in=enrolments).select_related("session")
    course_attendance = CourseAttendance.objects.filter(trainee__in=trainees).select_related(
        "meeting"
    )
    data: dict[str, Any] = {
        "records": s.rows(people),
        "case_articles": [s.row(a) for p in people for a in p.articles.all()],
        "custody_events": [s.row(e) for p in people for e in p.custody_events.all()],
        "screenings": [s.row(x, answers=s.rows(x.answers.all())) for x in screenings],
        "urine_tests": [s.row(t, results=s.rows(t.results.all())) for t in urine],
        "urine_corrections": s.rows(UrineCorrection.objects.filter(test__in=urine)),
        "health_screenings": s.rows(health),
        "health_corrections": s.rows(HealthCorrection.objects.filter(screening__in=health)),
        "assessments": [
            s.row(
                a,
                domains=s.rows(a.domains.all()),
                substance_uses=s.rows(a.substance_uses.all()),
                plan_items=s.rows(a.plan_items.all()),
            )
            for a in assessments
        ],
        "review_moves": s.rows(ReviewMove.objects.filter(inmate__in=ids)),
        "enrolments": [
            s.row(
                e,
                track_name=e.track.name,
                cohort_name=e.cohort.name if e.cohort else None,
                events=s.rows(e.events.all()),
                phases=s.rows(e.phases.all()),
            )
            for e in enrolments
        ],
        "attendance": [
            s.row(
                a,
                session_kind=a.session.kind,
                session_title=a.session.title,
                session_starts_at=_plain(a.session.starts_at),
            )
            for a in attendance
        ],
        "progress_notes": [s.row(n) for e in enrolments for n in e.notes.all()],
        "follow_ups": [s.row(f) for e in enrolments for f in e.follow_ups.all()],
        "skills": [s.row(t, course_name=t.course.name) for t in trainees],
        "skills_attendance": [
            s.row(a, meeting_starts_at=_plain(a.meeting.starts_at)) for a in course_attendance
        ],
        "completion_waivers": s.rows(
            CompletionWaiver.objects.filter(Q(enrolment__in=enrolments) | Q(trainee__in=trainees))
        ),
        "certificates": s.rows(
            Certificate.objects.filter(Q(enrolment__in=enrolments) | Q(trainee__in=trainees))
        ),
        "release_plans": s.rows(ReleasePlan.objects.filter(inmate__in=ids)),
        "aftercare": s.rows(Aftercare.objects.filter(inmate__in=ids)),
    }
    # The change history and the access log of every record gathered above.
    targets: dict[str, set[int]] = {}
    for key, model in _TARGET_MODELS.items():
        targets[model] = {row["id"] for row in data[key]}
    targets["assessments.urineresult"] = {
        r["id"] for t in data["urine_tests"] for r in t["results"]
    }
    about = Q(pk__in=[])
    for label, pks in targets.items():
        if pks:
            about |= Q(target_type=label, target_id__in=pks)
    data["history"] = s.rows(AuditEntry.objects.filter(about).order_by("created_at", "id"))
    data["access_log"] = s.rows(AccessLog.objects.filter(about).order_by("created_at", "id"))
    return data


# data.json section -> the label_lower of its model (for the history and the access log)
_TARGET_MODELS = {
    "records": "inmates.inmate",
    "case_articles": "inmates.casearticle",
    "custody_events": "inmates.custodyevent",
    "screenings": "assessments.assistscreening",
    "urine_tests": "assessments.urinetest",
    "urine_corrections": "assessments.urinecorrection",
    "health_screenings": "assessments.healthscreening",
    "health_corrections": "assessments.healthcorrection",
    "assessments": "assessments.assessment",
    "review_moves": "assessments.reviewmove",
    "enrolments": "programs.enrolment",
    "attendance": "programs.attendance",
    "progress_notes": "programs.progressnote",
    "follow_ups": "programs.followup",
    "skills": "programs.trainee",
    "skills_attendance": "programs.courseattendance",
    "completion_waivers": "programs.completionwaiver",
    "certificates": "programs.certificate",
    "release_plans": "programs.releaseplan",
    "aftercare": "programs.aftercare",
}


def _pdf_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The PDF's sections: each record as (field, value) pairs, nested rows flattened."""
    sections = []
    for key, title in SECTIONS:
        records = []
        for row in data[key]:
            pairs = []
            for name, value in row.items():
                if isinstance(value, list):
                    pairs.append(
                        (name, gettext("%(n)d baris (lihat data.json)") % {"n": len(value)})
                    )
                elif value not in (None, "", {}, []):
                    pairs.append((name, json.dumps(value, ensure_ascii=False)
                                  if isinstance(value, dict) else value))  # fmt: skip
            records.append(pairs)
        sections.append({"key": key, "title": title, "records": records})
    return sections


def file_stem(inmate: Inmate) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in inmate.registration_number)
    return f"akses-subjek-{inmate.facility.code}-{safe}"


def export(
    inmate: Inmate,
    *,
    by: Any = None,
    facility_ids: set[int] | None = None,
    channel: str = "command",
) -> Export:
    """Build the ZIP (data.json and ringkasan.pdf) of one WBP and record the export in his
    history (and, for a user, in the access log)."""
    data = collect(inmate, facility_ids=facility_ids)
    generated_at = timezone.now()
    document = {
        "generated_at": generated_at.isoformat(),
        "facility": inmate.facility.code,
        "registration_number": inmate.registration_number,
        "legal_basis": "UU 27/2022 tentang Pelindungan Data Pribadi",
        **data,
    }
    json_bytes = json.dumps(document, ensure_ascii=False, indent=2).encode()
    pdf_bytes = render_pdf(
        "rehab/subject_access_pdf.html",
        {
            "facility": inmate.facility,
            "inmate": inmate,
            "sections": _pdf_sections(data),
            "generated_at": generated_at,
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json_bytes)
        archive.writestr("ringkasan.pdf", pdf_bytes)
    counts = {key: len(data[key]) for key, _title in SECTIONS}
    with transaction.atomic():
        audit.record(
            facility=inmate.facility,
            actor=by,
            action="inmates.inmate.subject_access",
            target=inmate,
            summary=f"Ekspor akses subjek data ({channel}): {sum(counts.values())} baris",
        )
        if by is not None and getattr(by, "is_authenticated", False):
            audit.log_access(
                user=by,
                facility=inmate.facility,
                action="inmate.subject_access",
                target=inmate,
                detail=f"{file_stem(inmate)}.zip",
            )
    return Export(inmate, data, json_bytes, pdf_bytes, buffer.getvalue())


def find(facility_code: str, registration_number: str) -> Inmate | None:
    return (
        Inmate.objects.select_related("facility")
        .filter(facility__code=facility_code, registration_number=registration_number)
        .first()
    )
