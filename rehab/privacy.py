"""Personal data rights and limits (UU 27/2022 PDP): the subject-access export of one WBP,
and the retention rule that anonymises the records of WBP released long ago.

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

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    AssistScreening,
    DomainRating,
    HealthCorrection,
    HealthScreening,
    PlanItem,
    ReviewMove,
    UrineCorrection,
    UrineTest,
)
from inmates.models import CaseArticle, CustodyEvent, CustodyStatus, Inmate
from programs.completion.models import Certificate, CompletionWaiver
from programs.models import (
    Aftercare,
    Attendance,
    CourseAttendance,
    Enrolment,
    EnrolmentEvent,
    FollowUp,
    PhaseChange,
    ProgressNote,
    ReleasePlan,
    Trainee,
)
from rehab import audit
from rehab.formats import short_date
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


# Health results, diagnoses, counselling notes and follow-up outcomes: in an export only for a
# user who may read them (the command line, run on the server, includes them).
CLINICAL_SECTIONS = (
    "urine_tests", "urine_corrections", "health_screenings", "health_corrections",
    "assessments", "progress_notes", "aftercare",
)  # fmt: skip


def collect(
    inmate: Inmate, *, facility_ids: set[int] | None = None, clinical: bool = True
) -> dict[str, Any]:
    """Return everything held about the person of this record, as plain JSON-able data;
    without `clinical`, the clinical sections are empty and named under "withheld", and no
    history entry about a clinical record is included."""
    s = _Serialiser()
    people = episodes_of(inmate, facility_ids)
    ids = [p.pk for p in people]
    enrolments = list(
        Enrolment.objects.filter(inmate__in=ids)
        .select_related("track", "cohort")
        .prefetch_related("events", "phases", "notes", "follow_ups")
    )
    articles = list(CaseArticle.objects.filter(inmate__in=ids))
    custody = list(CustodyEvent.objects.filter(inmate__in=ids))
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
        "case_articles": s.rows(articles),
        "custody_events": s.rows(custody),
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
    withheld = Q(pk__in=[])
    if not clinical:
        for key in CLINICAL_SECTIONS:
            data[key] = []
        data["withheld"] = [str(title) for key, title in SECTIONS if key in CLINICAL_SECTIONS]
        labels = [_TARGET_MODELS[key] for key in CLINICAL_SECTIONS] + ["assessments.urineresult"]
        withheld = Q(subject_type__in=labels) | Q(target_type__in=labels)
    data["history"] = s.rows(
        AuditEntry.objects.filter(about).exclude(withheld).order_by("created_at", "id")
    )
    # Who read what stays whole: that a result was read, never the result (as on the case file).
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


def _field_labels(section: str) -> dict[str, str]:
    """Field name (and attname) -> the field's readable name, for one data.json section."""
    label = {"history": "rehab.auditentry", "access_log": "rehab.accesslog"}.get(
        section, _TARGET_MODELS.get(section, "")
    )
    labels: dict[str, str] = {"id": "id"}
    if label:
        for field in apps.get_model(label)._meta.concrete_fields:
            labels[field.name] = labels[field.attname] = str(field.verbose_name)
    return labels


def _pdf_value(value: Any) -> Any:
    if isinstance(value, bool):
        return gettext("ya") if value else gettext("tidak")
    if isinstance(value, list):
        return gettext("%(n)d baris (lihat data.json)") % {"n": len(value)}
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _pdf_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The PDF's sections: each record as (readable field name, value) pairs; a choice shows
    its label, a relation its name where data.json has one, nested rows their number."""
    sections = []
    for key, title in SECTIONS:
        labels = _field_labels(key)
        records = []
        for row in data[key]:
            pairs = []
            for name, value in row.items():
                if name.endswith("_label") or (name.endswith("_id") and name[:-3] in row):
                    continue
                shown = row.get(f"{name}_label", value)
                if shown in (None, "", {}, []):
                    continue
                pairs.append((labels.get(name, name), _pdf_value(shown)))
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
    clinical: bool = True,
) -> Export:
    """Build the ZIP (data.json and ringkasan.pdf) of one WBP and record the export in his
    history (and, for a user, in the access log)."""
    data = collect(inmate, facility_ids=facility_ids, clinical=clinical)
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
            "withheld": data.get("withheld", []),
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


# --- Retention --------------------------------------------------------------------------------
# The records of a WBP released more than REHAB_RETENTION_YEARS ago lose what identifies him
# (name, NIK, registration number, birth date and place, address, phones, contacts) and every
# free text about him (notes, narratives, reasons). What the reports count stays: dates,
# states, tiers, coded results, attendance. Reports already generated are frozen figures
# (reports.Report.figures) and are not touched; regenerating one gives the same figures.

# Stored in place of a required free text that was cleared (like audit.REDACTED, untranslated).
ANONYMISED = gettext_noop("(dianonimkan)")


@dataclass
class RetentionResult:
    cutoff: datetime.date
    dry_run: bool
    inmates: int
    rows: dict[str, int]


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Return the first release day still kept: REHAB_RETENTION_YEARS before today."""
    today = today or timezone.localdate()
    years = django_settings.REHAB_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _past_retention(inmate: Inmate, cutoff: datetime.date) -> bool:
    if inmate.anonymised_at is not None:
        return True
    return (
        inmate.status == CustodyStatus.RELEASED
        and inmate.status_changed_on is not None
        and inmate.status_changed_on < cutoff
    )


def retention_candidates(cutoff: datetime.date) -> list[Inmate]:
    """Return the records to anonymise: released before cutoff, not yet anonymised, and not
    of a person admitted again since (every admission of the chain is past retention)."""
    candidates = []
    released = Inmate.objects.select_related("facility").filter(
        status=CustodyStatus.RELEASED, status_changed_on__lt=cutoff, anonymised_at__isnull=True
    )
    for inmate in released.order_by("pk"):
        if all(_past_retention(e, cutoff) for e in episodes_of(inmate)):
            candidates.append(inmate)
    return candidates


def _clearing(inmate: Inmate) -> list[tuple[str, Any, dict[str, Any]]]:
    """(kind, rows, new values) of the free text and contacts to clear for one WBP."""
    return [
        ("custody_events", CustodyEvent.objects.filter(inmate=inmate), {"reason": ANONYMISED}),
        ("health_screenings", HealthScreening.objects.filter(inmate=inmate),
         {"notes": "", "referred_to": ""}),
        ("health_corrections", HealthCorrection.objects.filter(screening__inmate=inmate),
         {"reason": ANONYMISED}),
        ("urine_corrections", UrineCorrection.objects.filter(test__inmate=inmate),
         {"reason": ANONYMISED, "refusal_reason": ""}),
        ("assessments", Assessment.objects.filter(inmate=inmate),
         {"comorbidity": "", "tier_reason": "", "amendment_reason": ""}),
        ("assessment_narratives", DomainRating.objects.filter(assessment__inmate=inmate),
         {"narrative": ""}),
        ("plan_items", PlanItem.objects.filter(assessment__inmate=inmate), {"details": ""}),
        ("review_moves", ReviewMove.objects.filter(inmate=inmate), {"reason": ANONYMISED}),
        ("enrolment_events", EnrolmentEvent.objects.filter(enrolment__inmate=inmate),
         {"reason": ANONYMISED}),
        ("phase_changes", PhaseChange.objects.filter(enrolment__inmate=inmate),
         {"reason": ANONYMISED}),
        ("follow_ups", FollowUp.objects.filter(enrolment__inmate=inmate),
         {"reason": ANONYMISED, "resolution": ""}),
        ("progress_notes", ProgressNote.objects.filter(enrolment__inmate=inmate),
         {"summary": ANONYMISED, "participation": "", "concerns": "", "next_steps": "",
          "amendment_reason": ""}),
        ("completion_waivers", CompletionWaiver.objects.filter(
            Q(enrolment__inmate=inmate) | Q(trainee__inmate=inmate)), {"reason": ANONYMISED}),
        ("skills", Trainee.objects.filter(inmate=inmate), {"left_reason": ""}),
        ("release_plans", ReleasePlan.objects.filter(inmate=inmate),
         {"family_contact_name": "", "family_contact_relation": "", "family_contact_phone": "",
          "follow_up_address": "", "follow_up_phone": "", "notes": ""}),
        ("aftercare", Aftercare.objects.filter(inmate=inmate), {"notes": ""}),
    ]  # fmt: skip


def _about(inmate: Inmate, clearing: list[tuple[str, Any, dict[str, Any]]]) -> Q:
    """The history and access-log rows of the WBP and of everything of his."""
    about = Q(target_type="inmates.inmate", target_id=inmate.pk)
    for _kind, rows, _values in clearing:
        about |= Q(target_type=rows.model._meta.label_lower, target_id__in=rows.values("pk"))
    others: tuple[tuple[type[models.Model], str], ...] = (
        (AssistScreening, "inmate"), (UrineTest, "inmate"), (Enrolment, "inmate"),
        (CaseArticle, "inmate"), (Attendance, "enrolment__inmate"),
        (CourseAttendance, "trainee__inmate"), (Certificate, "enrolment__inmate"),
        (Certificate, "trainee__inmate"),
    )  # fmt: skip
    for model, lookup in others:
        about |= Q(
            target_type=model._meta.label_lower,
            target_id__in=model._default_manager.filter(**{lookup: inmate}).values("pk"),
        )
    return about


def _anonymise(inmate: Inmate, cutoff: datetime.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    clearing = _clearing(inmate)
    about = _about(inmate, clearing)
    # History first, while the rows it names are still what they were: which fields changed
    # stays, their old and new values do not; summaries may quote a name.
    history = 0
    for entry in AuditEntry.objects.filter(about).only("pk", "changes"):
        redacted = {name: [audit.REDACTED, audit.REDACTED] for name in entry.changes}
        # AuditEntry refuses save() on an existing row; retention is the one rewrite allowed.
        history += AuditEntry.objects.filter(pk=entry.pk).update(changes=redacted, summary="")
    counts["history"] = history
    counts["access_log"] = AccessLog.objects.filter(about).exclude(detail="").update(detail="")
    for kind, rows, values in clearing:
        counts[kind] = rows.update(**values)
    released_on = inmate.status_changed_on
    inmate.full_name = f"{ANONYMISED} #{inmate.pk}"
    inmate.registration_number = f"ANON-{inmate.pk}"
    inmate.aliases = inmate.nik = inmate.birth_place = inmate.occupation = ""
    inmate.address = inmate.verdict_number = inmate.block = inmate.cell = ""
    if inmate.birth_date is not None:
        # The year stays (age groups); the day that, with the rest, would identify him goes.
        inmate.birth_date = inmate.birth_date.replace(month=1, day=1)
    inmate.anonymised_at = timezone.now()
    inmate.version += 1
    inmate.save()
    counts["records"] = 1
    audit.record(
        facility=inmate.facility,
        actor=None,
        action="inmates.inmate.anonymised",
        target=inmate,
        summary=(
            f"Dianonimkan: bebas {short_date(released_on) if released_on else '-'}, "
            f"sebelum batas retensi {short_date(cutoff)} "
            f"({django_settings.REHAB_RETENTION_YEARS} tahun)"
        ),
    )
    return counts


def apply_retention(
    *, dry_run: bool = False, today: datetime.date | None = None
) -> RetentionResult:
    """Anonymise every WBP released before the retention cutoff; a dry run counts only."""
    cutoff = retention_cutoff(today)
    candidates = retention_candidates(cutoff)
    totals: dict[str, int] = {}
    for inmate in candidates:
        if dry_run:
            counts = {kind: rows.count() for kind, rows, _values in _clearing(inmate)}
            counts["records"] = 1
        else:
            # One WBP at a time: a failure leaves each record whole, done or not done.
            with transaction.atomic():
                counts = _anonymise(inmate, cutoff)
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
    return RetentionResult(cutoff=cutoff, dry_run=dry_run, inmates=len(candidates), rows=totals)
