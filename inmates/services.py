"""Writes to WBP records: create, update with conflict detection, transfer and release."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inmates import sdp
from inmates.models import (
    CaseArticle,
    CustodyEvent,
    CustodyEventKind,
    CustodyStatus,
    ImportBatch,
    Inmate,
    OutsideTransfer,
    ReleaseKind,
    Transfer,
    TransferState,
)
from rehab import audit, versions
from rehab.files import save_on_commit
from rehab.hooks import Hooks
from rehab.models import Facility

# The fields whose changes are kept in the history of a WBP record.
TRACKED_FIELDS = [
    "registration_number",
    "register_class",
    "full_name",
    "aliases",
    "nik",
    "birth_place",
    "birth_date",
    "sex",
    "religion",
    "education",
    "occupation",
    "address",
    "origin_regency",
    "nationality",
    "detention_date",
    "admission_date",
    "verdict_number",
    "verdict_date",
    "sentence_months",
    "sentence_days",
    "expiry_date",
    "release_date",
    "block",
    "cell",
    "status",
]


class InvalidTransition(Exception):
    """The custody change does not apply to the record as it is."""


# What else happens when a WBP is released, inside the same transaction. Apps further up the
# dependency chain (programs: the follow-up schedule) register a step in their AppConfig.ready();
# a step that raises undoes the whole release.
ReleaseStep = Callable[..., None]
release_steps: Hooks[ReleaseStep] = Hooks()
# Run `step(inmate=, by=, on=, kind=)` as part of every release.
register_release_step = release_steps.register


# What else happens when a released person is registered again (a new episode), inside the same
# transaction: programs closes the open follow-ups of the earlier release.
AdmissionStep = Callable[..., None]
readmission_steps: Hooks[AdmissionStep] = Hooks()
# Run `step(inmate=, previous=, by=, on=)` whenever a WBP is registered again.
register_readmission_step = readmission_steps.register


# What the destination of a transfer reads before accepting: (label, text) lines about the WBP
# from the other apps (programme, assessment). Never health results or notes. Each step gets
# `can(action)`: whether the reader holds the action at the destination.
TransferSummary = Callable[[Inmate, Callable[[str], bool]], list[tuple[str, str]]]
transfer_summary_steps: Hooks[TransferSummary] = Hooks()
register_transfer_summary = transfer_summary_steps.register


# What else happens when the destination accepts a transfer, inside the same transaction:
# programs ends the origin's programme places (as "Pindah UPT").
AcceptStep = Callable[..., None]
transfer_accept_steps: Hooks[AcceptStep] = Hooks()
# Run `step(origin=, received=, by=, on=)` whenever a transfer is accepted.
register_transfer_accept_step = transfer_accept_steps.register


def transfer_summary(inmate: Inmate, can: Callable[[str], bool]) -> list[tuple[str, str]]:
    return [line for step in transfer_summary_steps for line in step(inmate, can)]


# What the hand-over PDF of a transfer to a UPT outside rehab adds to the transfer summary:
# open follow-ups, non-associations and, for the clinical version only (`can` holds the clinical
# actions), the health details. Registered like the summary steps.
handover_steps: Hooks[TransferSummary] = Hooks()
register_handover_step = handover_steps.register


# What else happens when a WBP leaves for a UPT outside rehab, inside the same transaction:
# programs ends the programme and skills places (as "Pindah UPT").
TransferOutStep = Callable[..., None]
transfer_out_steps: Hooks[TransferOutStep] = Hooks()
# Run `step(inmate=, by=, on=, destination=)` whenever a WBP leaves for a UPT outside
# rehab.
register_transfer_out_step = transfer_out_steps.register


def previous_episode_of(inmate: Inmate) -> Inmate | None:
    """Return the latest released record of the same person (same NIK, or name and birth date)."""
    if inmate.nik:
        same_person = Q(nik=inmate.nik)
    elif inmate.birth_date:
        same_person = Q(full_name__iexact=inmate.full_name, birth_date=inmate.birth_date)
    else:
        return None
    return (
        Inmate.objects.filter(same_person, status=CustodyStatus.RELEASED)
        .exclude(pk=inmate.pk)
        .order_by("-status_changed_on", "-id")
        .first()
    )


def _articles_text(inmate: Inmate) -> str:
    return " ".join(str(a) for a in inmate.articles.all())


def _replace_articles(inmate: Inmate, articles: list[dict[str, Any]]) -> None:
    inmate.articles.all().delete()
    CaseArticle.objects.bulk_create(
        CaseArticle(inmate=inmate, position=i, **row) for i, row in enumerate(articles)
    )


@transaction.atomic
def inmate_create(
    *,
    facility: Facility,
    by: Any,
    data: dict[str, Any],
    articles: list[dict[str, Any]] | None = None,
    source: str = "form",
) -> Inmate:
    """Register a WBP with its case articles and an admission event."""
    inmate = Inmate(facility=facility, **data)
    inmate.full_clean()
    inmate.previous_episode = previous_episode_of(inmate)
    inmate.save()
    if articles:
        _replace_articles(inmate, articles)
    CustodyEvent.objects.create(
        inmate=inmate,
        facility_id=inmate.facility_id,
        kind=CustodyEventKind.ADMITTED,
        occurred_on=inmate.admission_date,
        # Stored untranslated and translated when shown, whatever language the writer used.
        reason={
            "import": gettext_noop("Impor dari SDP"),
            "transfer": gettext_noop("Pindahan dari UPT lain"),
        }.get(source, gettext_noop("Registrasi")),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        facility=facility,
        actor=by,
        action=f"inmates.inmate.created.{source}",
        target=inmate,
        summary=str(inmate),
        changes=audit.diff(
            {},
            {
                **audit.snapshot(inmate, TRACKED_FIELDS),
                "articles": _articles_text(inmate) if articles else None,
            },
        ),
    )
    if inmate.previous_episode is not None:
        for step in readmission_steps:
            step(inmate=inmate, previous=inmate.previous_episode, by=by, on=inmate.admission_date)
    return inmate


@transaction.atomic
def inmate_update(
    *,
    inmate: Inmate,
    by: Any,
    data: dict[str, Any],
    articles: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
    source: str = "form",
) -> dict[str, list[Any]]:
    """Apply changed fields, refusing (EditConflict) if someone saved since the form was opened
    at `expected_version`; return what changed. The SDP import passes no version."""
    current = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if expected_version is not None:
        versions.claim(current, expected_version)
    before = audit.snapshot(current, TRACKED_FIELDS)
    articles_before = _articles_text(current)
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    changes = audit.diff(before, audit.snapshot(current, TRACKED_FIELDS))
    if articles is not None:
        _replace_articles(current, articles)
        articles_after = _articles_text(current)
        if articles_after != articles_before:
            changes["articles"] = [articles_before, articles_after]
    if not changes:
        return {}
    if expected_version is None:
        current.version += 1
    current.save()
    audit.record(
        facility=current.facility_id,
        actor=by,
        action=f"inmates.inmate.updated.{source}",
        target=current,
        summary=", ".join(changes),
        changes=changes,
    )
    inmate.refresh_from_db()
    return changes


@transaction.atomic
def inmate_transfer(
    *,
    inmate: Inmate,
    by: Any,
    to_facility: Facility,
    on: datetime.date,
    reason: str,
    letter_number: str = "",
) -> Transfer:
    """Record that a WBP left for another UPT: the record stays here as history, and the
    destination sees the hand-over waiting for its acceptance."""
    current = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if current.status != CustodyStatus.IN_CUSTODY:
        raise InvalidTransition(_("Hanya WBP yang masih dalam tahanan dapat dipindahkan."))
    if to_facility.pk == current.facility_id:
        raise InvalidTransition(_("UPT tujuan sama dengan UPT asal."))
    if on < current.admission_date:
        raise InvalidTransition(_("Tanggal pindah sebelum tanggal masuk."))
    current.status = CustodyStatus.TRANSFERRED
    current.status_changed_on = on
    current.version += 1
    current.save(update_fields=["status", "status_changed_on", "version"])
    CustodyEvent.objects.create(
        inmate=current,
        facility_id=current.facility_id,
        kind=CustodyEventKind.TRANSFERRED,
        occurred_on=on,
        to_facility=to_facility,
        reason=reason,
        recorded_by=by,
    )
    transfer = Transfer.objects.create(
        facility=to_facility,
        from_facility_id=current.facility_id,
        inmate=current,
        on=on,
        reason=reason,
        letter_number=letter_number,
        created_by=by,
    )
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="inmates.inmate.transferred",
        target=current,
        summary=f"{to_facility} · {reason}"[:255],
        changes={"status": [CustodyStatus.IN_CUSTODY, CustodyStatus.TRANSFERRED]},
        subject=transfer,
    )
    return transfer


# The actions that open health details: the clinical hand-over holds them, the general one not.
CLINICAL_ACTIONS = frozenset(
    {"health.view_result", "assessment.view", "note.view", "aftercare.view_outcome"}
)


def outside_destination_problem(name: str, origin: Facility) -> str:
    """Why a typed UPT outside rehab cannot be the destination ("" when it can): it is the
    origin itself, or a UPT that uses rehab (then the transfer waits for its acceptance)."""
    typed = " ".join(name.split()).casefold()
    if not typed:
        return _("Tuliskan nama UPT tujuan.")
    if typed in {origin.name.casefold(), origin.code.casefold()}:
        return _("UPT tujuan sama dengan UPT asal.")
    if Facility.objects.filter(active=True, name__iexact=" ".join(name.split())).exists():
        return _("UPT ini memakai rehab: pilih dari daftar UPT tujuan di rehab.")
    return ""


def incoming_summary(inmate: Inmate, can: Callable[[str], bool]) -> list[tuple[str, str]]:
    """What the receiving UPT reads before it accepts a transfer inside rehab: the transfer
    summary and the hand-over steps (open follow-ups, non-associations) as far as the reader's
    role there allows, never the clinical details (those come with the record, on acceptance,
    to the clinical roles)."""

    def plain(action: str) -> bool:
        return action not in CLINICAL_ACTIONS and can(action)

    return transfer_summary(inmate, plain) + [
        line for step in handover_steps for line in step(inmate, plain)
    ]


def handover_lines(inmate: Inmate, *, clinical: bool) -> list[tuple[str, str]]:
    """The hand-over summary: the transfer summary and the hand-over steps, with the health
    details only in the clinical version."""

    def can(action: str) -> bool:
        return clinical or action not in CLINICAL_ACTIONS

    return transfer_summary(inmate, can) + [
        line for step in handover_steps for line in step(inmate, can)
    ]


def handover_pdf(transfer: OutsideTransfer, *, clinical: bool, page_size: str = "") -> bytes:
    """Lay out the hand-over for the receiving UPT on the facility's paper (A4 or F4)."""
    from rehab.pdf import render_pdf  # rendering only: kept out of the import path of the models

    facility = transfer.facility
    context = {
        "transfer": transfer,
        "inmate": transfer.inmate,
        "facility": facility,
        "lines": handover_lines(transfer.inmate, clinical=clinical),
        "clinical": clinical,
        "warden": facility.warden(),
    }
    size = page_size or str(facility.paper_size)
    return render_pdf("inmates/handover_pdf.html", context, page_size=size)


def _handover_name(transfer: OutsideTransfer, clinical: bool) -> str:
    number = transfer.inmate.registration_number.replace("/", "-")
    suffix = "-klinis" if clinical else ""
    return f"{transfer.facility.code}/serah-terima-pindah-{transfer.pk}-{number}{suffix}.pdf"


def handover_store(transfer: OutsideTransfer) -> None:
    """Render both versions now and write them once the transaction commits (rehab.files)."""
    save_on_commit(
        transfer.handover, _handover_name(transfer, False), handover_pdf(transfer, clinical=False)
    )
    save_on_commit(
        transfer.clinical_handover,
        _handover_name(transfer, True),
        handover_pdf(transfer, clinical=True),
    )
    transfer.save(update_fields=["handover", "clinical_handover"])


@transaction.atomic
def inmate_transfer_outside(
    *,
    inmate: Inmate,
    by: Any,
    upt_name: str,
    upt_town: str,
    upt_address: str = "",
    on: datetime.date,
    reason: str,
    letter_number: str = "",
) -> OutsideTransfer:
    """Record that a WBP left for a UPT outside rehab: the episode here ends (programme and
    skills places end as "Pindah UPT"), and the hand-over PDF is written after the commit."""
    current = Inmate.objects.select_for_update().select_related("facility").get(pk=inmate.pk)
    if current.status != CustodyStatus.IN_CUSTODY:
        raise InvalidTransition(_("Hanya WBP yang masih dalam tahanan dapat dipindahkan."))
    upt_name, upt_town = " ".join(upt_name.split()), " ".join(upt_town.split())
    problem = outside_destination_problem(upt_name, current.facility)
    if problem:
        raise ValidationError({"upt_name": problem})
    if not upt_town:
        raise ValidationError({"upt_town": _("Tuliskan kota atau kabupaten UPT tujuan.")})
    if on < current.admission_date:
        raise InvalidTransition(_("Tanggal pindah sebelum tanggal masuk."))
    destination = f"{upt_name}, {upt_town}"
    current.status = CustodyStatus.TRANSFERRED
    current.status_changed_on = on
    current.version += 1
    current.save(update_fields=["status", "status_changed_on", "version"])
    CustodyEvent.objects.create(
        inmate=current,
        facility_id=current.facility_id,
        kind=CustodyEventKind.TRANSFERRED,
        occurred_on=on,
        reason=_("Ke %(destination)s (di luar rehab): %(reason)s")
        % {"destination": destination, "reason": reason},
        recorded_by=by,
    )
    transfer = OutsideTransfer.objects.create(
        facility_id=current.facility_id,
        inmate=current,
        upt_name=upt_name,
        upt_town=upt_town,
        upt_address=upt_address.strip(),
        on=on,
        reason=reason,
        letter_number=letter_number,
        created_by=by,
    )
    for step in transfer_out_steps:
        step(inmate=current, by=by, on=on, destination=destination)
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="inmates.inmate.transferred_outside",
        target=current,
        summary=f"{destination} · {reason}"[:255],
        changes={"status": [CustodyStatus.IN_CUSTODY, CustodyStatus.TRANSFERRED]},
        subject=transfer,
    )
    handover_store(transfer)
    return transfer


# Identity and case fields that travel with the WBP to the destination's new record.
TRAVELLING_FIELDS = [
    "full_name", "aliases", "nik", "birth_place", "birth_date", "sex", "religion", "education",
    "occupation", "address", "origin_regency", "nationality", "detention_date", "verdict_number",
    "verdict_date", "sentence_months", "sentence_days", "expiry_date", "release_date",
    "register_class",
]  # fmt: skip


def _pending(transfer: Transfer) -> Transfer:
    current = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("inmate", "from_facility", "facility")
        .get(pk=transfer.pk)
    )
    if current.state != TransferState.PENDING:
        raise InvalidTransition(
            _("Pemindahan ini sudah diputuskan: %(state)s.")
            % {"state": current.get_state_display()}
        )
    return current


@transaction.atomic
def transfer_accept(
    *, transfer: Transfer, by: Any, registration_number: str, block: str = "", cell: str = ""
) -> Inmate:
    """The destination takes the WBP in: a new record here, admitted on the transfer date,
    whose previous episode is the origin's record (the history travels as a link)."""
    current = _pending(transfer)
    origin = current.inmate
    if Inmate.objects.filter(
        facility_id=current.facility_id, registration_number=registration_number
    ).exists():
        raise ValidationError(
            {"registration_number": _("Nomor registrasi ini sudah dipakai di UPT ini.")}
        )
    data = {name: getattr(origin, name) for name in TRAVELLING_FIELDS}
    received = inmate_create(
        facility=current.facility,
        by=by,
        data={
            **data,
            "registration_number": registration_number,
            "admission_date": current.on,
            "block": block,
            "cell": cell,
        },
        articles=[
            {f: getattr(a, f) for f in ("law", "article", "paragraph", "letter", "junto")}
            for a in origin.articles.all()
        ],
        source="transfer",
    )
    received.previous_episode = origin
    received.save(update_fields=["previous_episode"])
    for step in transfer_accept_steps:
        step(origin=origin, received=received, by=by, on=current.on)
    current.state = TransferState.ACCEPTED
    current.received = received
    current.decided_by = by
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "received", "decided_by", "decided_at"])
    for facility in (current.facility_id, current.from_facility_id):
        audit.record(
            facility=facility,
            actor=by,
            action="inmates.transfer.accepted",
            target=origin if facility == current.from_facility_id else received,
            summary=f"{current.from_facility} → {current.facility}",
            changes={"transfer": [TransferState.PENDING, TransferState.ACCEPTED]},
            subject=current,
        )
    return received


@transaction.atomic
def transfer_refuse(*, transfer: Transfer, by: Any, reason: str) -> Transfer:
    """The destination refuses the hand-over: the WBP is in custody at the origin again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan penolakan.")})
    current = _pending(transfer)
    origin = Inmate.objects.select_for_update().get(pk=current.inmate_id)
    current.state = TransferState.REFUSED
    current.refusal_reason = reason[:255]
    current.decided_by = by
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "refusal_reason", "decided_by", "decided_at"])
    origin.status = CustodyStatus.IN_CUSTODY
    origin.status_changed_on = timezone.localdate()
    origin.version += 1
    origin.save(update_fields=["status", "status_changed_on", "version"])
    CustodyEvent.objects.create(
        inmate=origin,
        kind=CustodyEventKind.ADMITTED,
        occurred_on=timezone.localdate(),
        reason=_("Pemindahan ditolak %(facility)s: %(reason)s")
        % {"facility": current.facility, "reason": reason},
        recorded_by=by,
    )
    for facility in (current.facility_id, current.from_facility_id):
        audit.record(
            facility=facility,
            actor=by,
            action="inmates.transfer.refused",
            target=origin,
            summary=reason[:255],
            changes={"transfer": [TransferState.PENDING, TransferState.REFUSED]},
            subject=current,
        )
    return current


@transaction.atomic
def inmate_release(
    *, inmate: Inmate, by: Any, on: datetime.date, kind: ReleaseKind | str, reason: str
) -> Inmate:
    """Record the release of a WBP."""
    current = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if current.status != CustodyStatus.IN_CUSTODY:
        raise InvalidTransition(_("Hanya WBP yang masih dalam tahanan dapat dibebaskan."))
    if on < current.admission_date:
        raise InvalidTransition(_("Tanggal bebas tidak boleh sebelum tanggal masuk."))
    current.status = CustodyStatus.RELEASED
    current.status_changed_on = on
    current.version += 1
    current.save(update_fields=["status", "status_changed_on", "version"])
    CustodyEvent.objects.create(
        inmate=current,
        facility_id=current.facility_id,
        kind=CustodyEventKind.RELEASED,
        occurred_on=on,
        release_kind=kind,
        reason=reason,
        recorded_by=by,
    )
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="inmates.inmate.released",
        target=current,
        summary=f"{ReleaseKind(kind).label} · {reason}",
        changes={"status": [CustodyStatus.IN_CUSTODY, CustodyStatus.RELEASED]},
    )
    for step in release_steps:
        step(inmate=current, by=by, on=on, kind=kind)
    return current


# --- import from SDP exports -----------------------------------------------------------------


@dataclass
class RowOutcome:
    """What importing one row would do; `changes` is {field: [old, new]} for an update."""

    line: int
    registration_number: str
    full_name: str
    changes: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # What other apps add from the row (a court hearing on the WBP's day), described.
    additions: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    """Every row of a file sorted by what importing it would do, or the file's own errors."""

    new: list[RowOutcome] = field(default_factory=list)
    updated: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    invalid: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    # The valid rows (new, updated or unchanged) from which other apps add something.
    added: list[RowOutcome] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return (
            not self.file_errors
            and not self.invalid
            and bool(self.new or self.updated or self.unchanged)
        )

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "invalid": len(self.invalid),
        }

    def fingerprint(self) -> str:
        """A digest of what the preview shows would be written: each new row, each change with
        its old and new value, and what other apps add. The confirmation carries it, so that a
        record changed by someone else after the preview was shown stops the import."""
        shown = [
            [[o.line, o.registration_number] for o in self.new],
            [[o.line, o.registration_number, o.changes] for o in self.updated],
            [[o.line, o.additions] for o in self.added],
        ]
        text = json.dumps(shown, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


class ImportNotClean(Exception):
    """The batch cannot be applied as the database stands now; nothing was saved."""

    def __init__(self, preview: ImportPreview | None = None, message: str = "") -> None:
        self.preview = preview
        self.message = message or _(
            "Impor dibatalkan karena berkas masih memuat kesalahan. Tidak ada data yang disimpan."
        )
        super().__init__(self.message)


class ImportChanged(ImportNotClean):
    """Records changed since the preview the user confirmed; nothing was saved."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(
            preview,
            _(
                "Data WBP berubah sejak pratinjau ini ditampilkan (ada yang menyimpan perubahan). "
                "Periksa pratinjau terbaru di bawah, lalu simpan lagi. Tidak ada data yang "
                "disimpan."
            ),
        )


class ImportAlreadyApplied(ImportNotClean):
    """The batch was applied before; a second confirm (a double click) changes nothing."""

    def __init__(self) -> None:
        super().__init__(message=_("Berkas impor ini sudah diterapkan sebelumnya."))


@dataclass(frozen=True)
class ImportExtra:
    """What an app further up the dependency chain adds from the rows of an export (programs:
    the court hearings, as blocks on the WBP's day), registered in its AppConfig.ready().

    `plan(facility=, rows=, inmates=)` gets the valid rows and the stored WBP by registration
    number (absent for a new one) and answers {row line: [what it would add]}, writing nothing;
    `apply(facility=, by=, rows=, inmates=)` writes it, inside the import's transaction, with
    every WBP of the rows stored. Both must be idempotent: a file imported twice adds nothing.
    """

    plan: Callable[..., dict[int, list[str]]]
    apply: Callable[..., None]


import_extras: Hooks[ImportExtra] = Hooks()
# Let `extra` see (and add to) every SDP import.
register_import_extra = import_extras.register


def _extras_plan(
    facility: Facility,
    preview: ImportPreview,
    rows: list[sdp.ParsedRow],
    inmates: dict[str, Inmate],
) -> None:
    outcomes = {o.line: o for o in (*preview.new, *preview.updated, *preview.unchanged)}
    valid = [row for row in rows if row.line in outcomes]
    for extra in import_extras:
        for line, added in extra.plan(facility=facility, rows=valid, inmates=inmates).items():
            outcomes[line].additions += added
    preview.added = sorted((o for o in outcomes.values() if o.additions), key=lambda o: o.line)


@dataclass
class _Write:
    row: sdp.ParsedRow
    inmate: Inmate | None
    articles_changed: bool


def _model_errors(candidate: Inmate, *, skip: set[str]) -> list[str]:
    """Run the model checks without touching the database, naming the column at fault."""
    try:
        # Facility is set by us; checking it, uniqueness or constraints would cost a query per
        # row. Registration numbers are matched per facility, and NIK need not be unique.
        candidate.full_clean(
            exclude=["facility", *skip], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            message
            if name == NON_FIELD_ERRORS
            else sdp.column_error(sdp.FIELD_LABELS.get(name, name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _import_plan(
    *, facility: Facility, file_name: str, content: bytes
) -> tuple[ImportPreview, list[_Write], list[sdp.ParsedRow]]:
    """Sort every row into new, updated, unchanged or invalid, and list the writes to make."""
    preview = ImportPreview()
    try:
        rows = sdp.read_rows(file_name, content)
    except sdp.FileError as error:
        preview.file_errors.append(error.message)
        return preview, [], []
    numbers = {row.registration_number for row in rows if row.registration_number}
    existing = {
        inmate.registration_number: inmate
        for inmate in Inmate.objects.filter(
            facility=facility, registration_number__in=numbers
        ).prefetch_related("articles")
    }
    writes: list[_Write] = []
    for row in rows:
        current = existing.get(row.registration_number)
        outcome = RowOutcome(
            line=row.line,
            registration_number=row.registration_number,
            full_name=row.data.get("full_name") or (current.full_name if current else ""),
            errors=list(row.errors),
        )
        # The checks run on the record as it would be saved: the file's values over the
        # stored ones, so a new expiry date is checked against the admission date on file.
        candidate = copy.copy(current) if current else Inmate(facility=facility)
        for name, value in row.data.items():
            setattr(candidate, name, value)
        outcome.errors += _model_errors(candidate, skip=row.failed_fields)
        if outcome.errors:
            preview.invalid.append(outcome)
        elif current is None:
            preview.new.append(outcome)
            writes.append(_Write(row, None, articles_changed=bool(row.articles)))
        else:
            fields = list(row.data)
            outcome.changes = audit.diff(
                audit.snapshot(current, fields), audit.snapshot(candidate, fields)
            )
            articles_changed = False
            if row.articles:
                before = _articles_text(current)
                after = " ".join(str(CaseArticle(**a)) for a in row.articles)
                if before != after:
                    outcome.changes["articles"] = [before, after]
                    articles_changed = True
            if outcome.changes:
                preview.updated.append(outcome)
                writes.append(_Write(row, current, articles_changed))
            else:
                preview.unchanged.append(outcome)
    if import_extras:
        _extras_plan(facility, preview, rows, existing)
    return preview, writes, rows


def import_preview(*, facility: Facility, file_name: str, content: bytes) -> ImportPreview:
    """Say what importing the file would do, row by row, without saving anything."""
    preview, _writes, _rows = _import_plan(facility=facility, file_name=file_name, content=content)
    return preview


def import_batch_create(
    *, facility: Facility, by: Any, file_name: str, content: bytes
) -> ImportBatch:
    """Store an uploaded export for preview and later confirmation."""
    return ImportBatch.objects.create(
        facility=facility,
        uploaded_by=by,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )


@transaction.atomic
def import_apply(*, batch: ImportBatch, by: Any, expected: str | None = None) -> ImportPreview:
    """Apply a clean batch: create and update WBP records, all or nothing. With `expected`
    (the fingerprint of the preview the user confirmed), a plan that differs from it now is
    refused with ImportChanged."""
    # The lock makes a double-clicked confirm wait, then see applied_at and stop.
    locked = ImportBatch.objects.select_for_update().select_related("facility").get(pk=batch.pk)
    if locked.applied_at is not None:
        raise ImportAlreadyApplied
    # Planned again from the stored file: records may have changed since the preview.
    preview, writes, rows = _import_plan(
        facility=locked.facility, file_name=locked.file_name, content=bytes(locked.content)
    )
    if not preview.is_clean:
        raise ImportNotClean(preview)
    if expected is not None and expected != preview.fingerprint():
        raise ImportChanged(preview)
    for write in writes:
        if write.inmate is None:
            inmate_create(
                facility=locked.facility,
                by=by,
                data=write.row.data,
                articles=write.row.articles,
                source="import",
            )
        else:
            inmate_update(
                inmate=write.inmate,
                by=by,
                data=write.row.data,
                articles=write.row.articles if write.articles_changed else None,
                source="import",
            )
    if preview.added:
        lines = {o.line for o in preview.added}
        numbers = {o.registration_number for o in preview.added}
        stored = {
            i.registration_number: i
            for i in Inmate.objects.filter(
                facility=locked.facility, registration_number__in=numbers
            )
        }
        for extra in import_extras:
            extra.apply(
                facility=locked.facility, by=by, rows=[r for r in rows if r.line in lines],
                inmates=stored,
            )  # fmt: skip
    locked.applied_at = timezone.now()
    locked.summary = preview.counts()
    locked.save(update_fields=["applied_at", "summary"])
    batch.applied_at, batch.summary = locked.applied_at, locked.summary
    return preview


def import_batches_purge(*, older_than: datetime.timedelta) -> int:
    """Drop the file content of uploads older than given; unconfirmed ones go entirely."""
    # An upload holds personal data; once confirmed, its changes live in each record's history.
    cutoff = timezone.now() - older_than
    stale = ImportBatch.objects.filter(created_at__lt=cutoff)
    deleted, _ = stale.filter(applied_at__isnull=True).delete()
    stale.exclude(content=b"").update(content=b"")
    return deleted
