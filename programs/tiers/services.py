"""Programme workflows: placement and its approval, state moves, schedules, attendance, notes."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment
from inmates.models import CustodyStatus, Inmate
from programs import attendance
from programs.completion import services as completion
from programs.models import (
    OPEN_STATES,
    SEATED_STATES,
    TRANSITIONS,
    Attendance,
    AttendanceStatus,
    Cohort,
    DropReason,
    Enrolment,
    EnrolmentEvent,
    EnrolmentState,
    FollowUp,
    Module,
    NoteStatus,
    PhaseChange,
    ProgressNote,
    Session,
    SessionStatus,
    TcPhase,
    Track,
    TrackKind,
)
from programs.scheduling import clashes as clash_check
from programs.scheduling import patterns
from programs.scheduling.patterns import SchedulePlan
from rehab import audit, versions
from rehab.formats import short_date, zoned

ABSENCES_BEFORE_FOLLOW_UP = 3

# What a counselling note says is clinical: its history names the fields that changed, never
# their text (the WBP's history is read by non-clinical roles).
NOTE_TEXT_FIELDS = ["summary", "participation", "concerns", "next_steps"]
NOTE_FIELDS = [*NOTE_TEXT_FIELDS, "session", "status", "signed_at"]
SESSION_FIELDS = ["kind", "module", "place", "starts_at", "ends_at", "status"]


class PlacementRefused(Exception):
    """The placement cannot be made; the message says why, in the user's language."""


class TransitionRefused(Exception):
    """The move is not in the transition table or does not fit the enrolment now."""


def _check_reason_length(reason: str, limit: int) -> None:
    """Refuse a reason longer than its column (or the shared bound for free text)."""
    if len(reason) > limit:
        raise TransitionRefused(
            _("Alasan terlalu panjang: paling banyak %(limit)d karakter.") % {"limit": limit}
        )


class AttendanceConflict(Exception):
    """Someone saved this session's attendance after this roster was opened."""


def transition_action(from_state: str, to_state: str) -> str:
    """Return the action a move needs, or refuse a move that is not in the table."""
    try:
        return TRANSITIONS[(from_state, to_state)]
    except KeyError:
        raise TransitionRefused(
            _("Perubahan status dari '%(from)s' ke '%(to)s' tidak diizinkan.")
            % {"from": EnrolmentState(from_state).label, "to": EnrolmentState(to_state).label}
        ) from None


def placement_warnings(*, inmate: Inmate, track: Track, cohort: Cohort | None) -> list[str]:
    """Warn (not refuse) when the programme would end after the WBP's release date."""
    start = cohort.start_date if cohort else timezone.localdate()
    end = cohort.end_date if cohort else start + datetime.timedelta(days=track.duration_days)
    if inmate.release_date and end > inmate.release_date:
        return [
            _("Program berakhir %(end)s, sesudah tanggal bebas WBP %(release)s.")
            % {"end": short_date(end), "release": short_date(inmate.release_date)}
        ]
    return []


def _check_placement(
    *, inmate: Inmate, track: Track, cohort: Cohort | None, assessment: Assessment
) -> None:
    # After a transfer the assessment may be the one the origin placed from: it belongs to the
    # WBP's previous record, which the transfer linked to this one.
    if assessment.inmate_id not in (inmate.pk, inmate.previous_episode_id):
        raise PlacementRefused(_("Asesmen ini milik WBP lain."))
    if not assessment.is_signed or assessment.superseded:
        raise PlacementRefused(
            _("Penempatan hanya dari asesmen yang sudah ditandatangani dan berlaku.")
        )
    if inmate.status != CustodyStatus.IN_CUSTODY:
        raise PlacementRefused(_("WBP ini tidak lagi dalam tahanan."))
    if cohort is not None and (
        cohort.facility_id != inmate.facility_id or cohort.track_id != track.pk
    ):
        raise PlacementRefused(_("Angkatan ini bukan untuk jalur ini di UPT WBP."))


def _event(
    enrolment: Enrolment, *, from_state: str, to_state: str, by: Any, on: datetime.date, reason: str
) -> EnrolmentEvent:
    return EnrolmentEvent(
        enrolment=enrolment, from_state=from_state, to_state=to_state, by=by, on=on, reason=reason
    )


@transaction.atomic
def enrolment_propose(
    *,
    inmate: Inmate,
    track: Track,
    cohort: Cohort | None,
    assessment: Assessment,
    by: Any,
    reason: str = "",
    replaces: Enrolment | None = None,
    continues: Enrolment | None = None,
) -> Enrolment:
    """Propose a placement from a signed assessment; it waits for the warden's approval."""
    _check_placement(inmate=inmate, track=track, cohort=cohort, assessment=assessment)
    others = Enrolment.objects.select_for_update().filter(inmate=inmate, state__in=OPEN_STATES)
    if replaces is not None:
        others = others.exclude(pk=replaces.pk)
    if others.exists():
        raise PlacementRefused(_("WBP ini sudah terdaftar atau diusulkan dalam program lain."))
    enrolment = Enrolment.objects.create(
        facility_id=inmate.facility_id,
        inmate=inmate,
        track=track,
        cohort=cohort,
        assessment=assessment,
        replaces=replaces,
        continues=continues,
    )
    reason = reason or _("Diusulkan dari asesmen %(date)s") % {
        "date": short_date(assessment.assessed_on)
    }
    _event(
        enrolment,
        from_state="",
        to_state=EnrolmentState.PROPOSED,
        by=by,
        on=timezone.localdate(),
        reason=reason,
    ).save()
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="programs.enrolment.proposed",
        target=inmate,
        summary=str(track),
        changes=audit.diff(
            {},
            audit.snapshot(
                enrolment, ["track", "cohort", "state", "replaces", "continues", "assessment"]
            ),
        ),
        subject=enrolment,
    )
    return enrolment


@transaction.atomic
def enrolments_propose(
    *, cohort: Cohort, picks: list[tuple[Inmate, Assessment]], by: Any
) -> list[Enrolment]:
    """Propose several WBP for one cohort from their signed assessments: all or nothing."""
    return [
        enrolment_propose(inmate=inmate, track=cohort.track, cohort=cohort, assessment=a, by=by)
        for inmate, a in picks
    ]


def _free_seat_goes_to_waitlist(cohort: Cohort | None, *, by: Any, on: datetime.date) -> None:
    """Offer a place that just freed to the first on the cohort's waitlist."""
    if cohort is None:
        return
    seated = Enrolment.objects.filter(cohort=cohort, state__in=SEATED_STATES).count()
    if seated >= cohort.capacity:
        return
    waiting = (
        Enrolment.objects.filter(cohort=cohort, state=EnrolmentState.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if waiting is not None:
        _move(waiting, EnrolmentState.PLACED, by=by, on=on, reason=_("Tempat kosong di angkatan."))


def _move(
    enrolment: Enrolment, to: str, *, by: Any, on: datetime.date, reason: str, drop_reason: str = ""
) -> Enrolment:
    from_state = enrolment.state
    tracked = ["state", "started_on", "ended_on", "drop_reason"]
    before = audit.snapshot(enrolment, tracked)
    enrolment.state = to
    fields = ["state"]
    if to == EnrolmentState.ACTIVE and enrolment.started_on is None:
        enrolment.started_on = on
        fields.append("started_on")
    if to not in OPEN_STATES:
        enrolment.ended_on = on
        # Only a drop-out has a drop reason (a database constraint holds it).
        enrolment.drop_reason = drop_reason if to == EnrolmentState.DROPPED_OUT else ""
        fields += ["ended_on", "drop_reason"]
    enrolment.save(update_fields=fields)
    _event(enrolment, from_state=from_state, to_state=to, by=by, on=on, reason=reason).save()
    audit.record(
        facility=enrolment.facility_id,
        actor=by,
        action=f"programs.enrolment.{to}",
        target=enrolment.inmate,
        summary=f"{enrolment.track}: {reason}",
        changes=audit.diff(before, audit.snapshot(enrolment, tracked)),
        subject=enrolment,
    )
    return enrolment


@transaction.atomic
def enrolment_move(
    *,
    enrolment: Enrolment,
    to: str,
    by: Any,
    reason: str,
    on: datetime.date | None = None,
    drop_reason: str = "",
) -> Enrolment:
    """Move an enrolment along the transition table, with a reason; keep the history."""
    current = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort", "inmate", "track")
        .get(pk=enrolment.pk)
    )
    transition_action(current.state, to)
    if to == EnrolmentState.CHANGED:
        # The old enrolment ends as "pindah tingkat" only when its successor is approved.
        raise TransitionRefused(
            _("Pindah tingkat memerlukan jalur tujuan: gunakan permintaan pindah tingkat.")
        )
    on = on or timezone.localdate()
    if not reason.strip():
        raise TransitionRefused(_("Tuliskan alasan perubahan status."))
    _check_reason_length(reason, settings.TEXT_MAX_SHORT)
    if to == EnrolmentState.DROPPED_OUT and not drop_reason:
        raise TransitionRefused(_("Pilih alasan putus program."))
    if to == EnrolmentState.COMPLETED:
        gate = completion.enrolment_gate(current)
        if not gate.allowed:
            raise TransitionRefused(gate.refusal())
    if to == EnrolmentState.PLACED and current.cohort is not None:
        cohort = Cohort.objects.select_for_update().get(pk=current.cohort.pk)
        if (
            Enrolment.objects.filter(cohort=cohort, state__in=SEATED_STATES).count()
            >= cohort.capacity
        ):
            if current.state == EnrolmentState.PROPOSED:
                to = EnrolmentState.WAITLISTED
                reason = _("%(reason)s (angkatan penuh: masuk daftar tunggu)") % {"reason": reason}
            else:
                raise TransitionRefused(_("Angkatan sudah penuh."))
    was_seated = current.state in SEATED_STATES
    old = None
    if current.replaces_id and current.state == EnrolmentState.PROPOSED:
        old = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("inmate", "track", "cohort")
            .get(pk=current.replaces_id)
        )
        if to != EnrolmentState.REJECTED and (old.state, EnrolmentState.CHANGED) not in TRANSITIONS:
            raise TransitionRefused(
                _("Program lama sudah %(state)s; pindah tingkat tidak dapat disetujui.")
                % {"state": EnrolmentState(old.state).label.lower()}
            )
    _move(current, to, by=by, on=on, reason=reason, drop_reason=drop_reason)
    if to == EnrolmentState.COMPLETED:
        completion.certificate_issue(by=by, on=on, enrolment=current)
    if old is not None and to in (EnrolmentState.PLACED, EnrolmentState.WAITLISTED):
        _move(
            old,
            EnrolmentState.CHANGED,
            by=by,
            on=on,
            reason=_("Pindah tingkat ke %(track)s: %(r)s") % {"track": current.track, "r": reason},
        )
        _free_seat_goes_to_waitlist(old.cohort, by=by, on=on)
    elif old is not None:
        _tier_change_refused(old, current, by=by, on=on, reason=reason)
    if was_seated and to not in SEATED_STATES:
        _free_seat_goes_to_waitlist(current.cohort, by=by, on=on)
    return current


def _tier_change_refused(
    old: Enrolment, refused: Enrolment, *, by: Any, on: datetime.date, reason: str
) -> None:
    """The old enrolment stays as it is; its history keeps the refusal and the warden's reason.
    The refused proposal lets go of the old one so that a later request can name it again."""
    refused.replaces = None
    refused.save(update_fields=["replaces"])
    text = _("Permintaan pindah tingkat ke %(track)s ditolak: %(r)s") % {
        "track": refused.track,
        "r": reason,
    }
    _event(old, from_state=old.state, to_state=old.state, by=by, on=on, reason=text).save()
    audit.record(
        facility=old.facility_id,
        actor=by,
        action="programs.enrolment.change_refused",
        target=old.inmate,
        summary=text[:255],
        changes=audit.diff(
            {"tier_change": str(refused.track)},
            {"tier_change": _("ditolak: %(r)s") % {"r": reason}},
        ),
        subject=old,
    )


@transaction.atomic
def tier_change_request(
    *,
    enrolment: Enrolment,
    track: Track,
    cohort: Cohort | None,
    by: Any,
    reason: str,
    assessment: Assessment | None = None,
    approve: bool = False,
) -> Enrolment:
    """Ask to move a placed or active participant to another tier: a proposal for the
    destination track and cohort that names the enrolment it replaces. The warden's approval
    ends the old enrolment as "pindah tingkat"; the warden's own request (approve=True) is
    decided at once."""
    current = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("inmate", "track", "cohort", "assessment")
        .get(pk=enrolment.pk)
    )
    transition_action(current.state, EnrolmentState.CHANGED)
    if not reason.strip():
        raise TransitionRefused(_("Tuliskan alasan pindah tingkat."))
    _check_reason_length(reason, settings.TEXT_MAX_SHORT)
    if track.tier == current.track.tier:
        raise TransitionRefused(_("Jalur tujuan harus dari tingkat lain."))
    if Enrolment.objects.filter(replaces=current).exists():
        raise TransitionRefused(_("Sudah ada permintaan pindah tingkat yang menunggu keputusan."))
    proposal = enrolment_propose(
        inmate=current.inmate,
        track=track,
        cohort=cohort,
        assessment=assessment or current.assessment,
        by=by,
        reason=_("Pindah tingkat dari %(old)s: %(r)s") % {"old": current.track, "r": reason},
        replaces=current,
    )
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.enrolment.change_requested",
        target=current.inmate,
        summary=f"{current.track} → {track}: {reason}"[:255],
        changes=audit.diff({}, {"tier_change": str(track), "cohort": str(cohort or "")}),
        subject=current,
    )
    if approve:
        enrolment_move(enrolment=proposal, to=EnrolmentState.PLACED, by=by, reason=reason)
        proposal.refresh_from_db()
    return proposal


@transaction.atomic
def enrolments_decide(
    *, enrolments: list[Enrolment], to: str, by: Any, reason: str
) -> list[Enrolment]:
    """The warden's decision on several proposals at once: all of them or none."""
    return [enrolment_move(enrolment=e, to=to, by=by, reason=reason) for e in enrolments]


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, by: Any, data: dict[str, Any], expected_version: int, reason: str = ""
) -> Cohort:
    """Correct a cohort's name, dates, capacity or place; refuse (EditConflict) a save over
    someone else's newer one."""
    current = Cohort.objects.select_for_update().get(pk=cohort.pk)
    versions.update(
        current,
        expected=expected_version,
        data=data,
        by=by,
        action="programs.cohort.updated",
        reason=reason,
    )
    return current


def _local(day: datetime.date, at: datetime.time, tz: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=tz)


def session_clashes(
    *,
    facility_id: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    exclude: int | None = None,
    tz: ZoneInfo,
    inmate_ids: Collection[int] = (),
) -> list[str]:
    """Name what else happens at the facility at that time: calendar activities, sessions in
    the same place, and the blocks on the day of the WBP named (programs.scheduling.clashes)."""
    return clash_check.find(
        facility_id=facility_id,
        tz=tz,
        slots=[clash_check.Slot(starts_at, ends_at, place)],
        inmate_ids=inmate_ids,
        exclude=[exclude] if exclude else [],
    )[0]


def schedule_plan(
    *,
    cohort: Cohort,
    weekdays: list[int],
    start: datetime.time,
    end: datetime.time,
    kind: str,
    module: Module | None = None,
    place: str = "",
    speakers: Collection[Any] = (),
) -> SchedulePlan:
    """Work out what the pattern would create, keep, update and remove, and name every clash of
    what it would write (a constant number of queries, however long the cohort)."""
    tz = ZoneInfo(cohort.facility.time_zone)
    place = place or cohort.place
    existing: list[Session] = list(
        Session.objects.filter(cohort=cohort, enrolment__isnull=True, kind=kind).annotate(
            marks=Count("attendance")
        )
    )
    leaders = frozenset(s.pk for s in speakers)
    module_id = module.pk if module else None
    open_enrolments = list(
        Enrolment.objects.filter(cohort=cohort, state__in=OPEN_STATES).values_list(
            "inmate_id", "state"
        )
    )
    people = [inmate_id for inmate_id, _state in open_enrolments]
    # Those holding a place fill the room (programs.scheduling.rooms).
    seated = sum(1 for _inmate, state in open_enrolments if state in SEATED_STATES)

    def differs(session: Session, ends_at: datetime.datetime) -> bool:
        return (session.ends_at, session.place, session.module_id) != (ends_at, place, module_id)

    def change(session: Session, ends_at: datetime.datetime) -> None:
        session.ends_at, session.place, session.module = ends_at, place, module

    def check(
        checked: list[clash_check.Slot], changed: list[Session], participants: int | None
    ) -> list[list[str]]:
        for slot in checked:
            slot.speaker_ids = leaders
        return clash_check.find(
            facility_id=cohort.facility_id,
            tz=tz,
            slots=checked,
            inmate_ids=people,
            exclude=[s.pk for s in changed],
            cohort_id=cohort.pk,
            participants=participants,
        )

    # The room's size is named for the pattern's own times; a suggestion keeps the room.
    return patterns.plan(
        owner=cohort, pattern=patterns.Pattern(weekdays, start, end), existing=existing,
        differs=differs, change=change, place=place, check=check, participants=seated,
    )  # fmt: skip


@transaction.atomic
def schedule_apply(
    *,
    cohort: Cohort,
    by: Any,
    weekdays: list[int],
    start: datetime.time,
    end: datetime.time,
    kind: str,
    module: Module | None = None,
    place: str = "",
    speakers: Collection[Any] = (),
    skip_clashing: bool = False,
) -> tuple[SchedulePlan, list[Session]]:
    """Write what the preview showed: the new sessions (all, or only those without a clash),
    the updates and the removals; one history entry on the cohort. The plan is worked out
    again under the cohort's lock, so two saves of one pattern write it once."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    plan = schedule_plan(
        cohort=cohort, weekdays=weekdays, start=start, end=end, kind=kind, module=module,
        place=place, speakers=speakers,
    )  # fmt: skip
    created, _updated = patterns.write(
        plan=plan, owner=cohort, by=by, model=Session,
        build=lambda p: Session(
            facility_id=cohort.facility_id, cohort=cohort, kind=kind, module=module,
            place=p.place, starts_at=p.starts_at, ends_at=p.ends_at, created_by=by,
        ),
        update_fields=["ends_at", "place", "module"],
        keep=lambda p: not (skip_clashing and p.clashes),
        keep_update=lambda found: not (skip_clashing and found),
        action="programs.schedule.generated",
    )  # fmt: skip
    through = Session.speakers.through
    through.objects.bulk_create(
        [through(session_id=s.pk, speaker_id=speaker.pk) for s in created for speaker in speakers]
    )
    return plan, created


def schedule_generate(
    *,
    cohort: Cohort,
    by: Any,
    weekdays: list[int],
    start: datetime.time,
    end: datetime.time,
    kind: str,
    module: Module | None = None,
    place: str = "",
) -> tuple[list[Session], dict[int, list[str]]]:
    """Save a pattern as it is, clashes and all (the demo data and scripts); return the
    sessions created with the clashes found for each."""
    plan, created = schedule_apply(
        cohort=cohort, by=by, weekdays=weekdays, start=start, end=end, kind=kind,
        module=module, place=place,
    )  # fmt: skip
    by_time = {p.starts_at: p.clashes for p in plan.new}
    return created, {s.pk: by_time[s.starts_at] for s in created if by_time[s.starts_at]}


def roster(session: Session) -> list[Enrolment]:
    """The people expected at a session: the seated members of its cohort, or its one client."""
    if session.cohort_id:
        return list(
            Enrolment.objects.filter(cohort_id=session.cohort_id, state__in=SEATED_STATES)
            .select_related("inmate")
            .order_by("inmate__full_name", "id")
        )
    return [session.enrolment] if session.enrolment else []


@transaction.atomic
def attendance_save(
    *, session: Session, by: Any, marks: dict[int, str], expected_version: int | None
) -> Session:
    """Save a whole session's attendance at once, or nothing; open follow-ups for three
    absences in a row."""
    current = (
        Session.objects.select_for_update(of=("self",))
        .select_related("facility")
        .get(pk=session.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise AttendanceConflict
    people = {e.pk: e for e in roster(current)}
    try:
        attendance.check_markable(
            status=current.status,
            starts_at=current.starts_at,
            tz=current.facility.tzinfo,
            marks=marks,
            roster=people,
        )
    except attendance.MarkRefused as refused:
        raise TransitionRefused(str(refused)) from refused
    before = {"status": current.status, "attendance": _attendance_text(current)}
    Attendance.objects.filter(session=current).delete()
    Attendance.objects.bulk_create(
        Attendance(
            session=current,
            enrolment_id=pk,
            status=marks.get(pk, AttendanceStatus.PRESENT),
            recorded_by=by,
        )
        for pk in people
    )
    current.status = SessionStatus.HELD
    current.version += 1
    current.save(update_fields=["status", "version"])
    # The day the session took place where it took place (WIB, WITA or WIT).
    _start_placed(
        people, marks, by=by, on=current.starts_at.astimezone(current.facility.tzinfo).date()
    )
    _follow_up_absences(current, [pk for pk in people if marks.get(pk) == AttendanceStatus.ABSENT])
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.attendance.saved",
        target=current,
        summary=_("%(n)d peserta") % {"n": len(people)},
        changes=audit.diff(
            before, {"status": current.status, "attendance": _attendance_text(current)}
        ),
    )
    return current


def _attendance_text(session: Session) -> str:
    """Each participant's mark at a session, as one comparable text: "12:present, 14:absent"."""
    marks = (
        Attendance.objects.filter(session=session)
        .order_by("enrolment_id")
        .values_list("enrolment_id", "status")
    )
    return ", ".join(f"{pk}:{status}" for pk, status in marks)


def _start_placed(
    people: dict[int, Enrolment], marks: dict[int, str], *, by: Any, on: datetime.date
) -> None:
    """A placed participant who comes to a first session becomes active."""
    starting = [
        e
        for pk, e in people.items()
        if e.state == EnrolmentState.PLACED
        and marks.get(pk, AttendanceStatus.PRESENT) in attendance.ATTENDED
    ]
    if not starting:
        return
    Enrolment.objects.filter(pk__in=[e.pk for e in starting]).update(
        state=EnrolmentState.ACTIVE, started_on=on
    )
    EnrolmentEvent.objects.bulk_create(
        _event(
            e,
            from_state=EnrolmentState.PLACED,
            to_state=EnrolmentState.ACTIVE,
            by=by,
            on=on,
            reason=_("Mulai mengikuti sesi."),
        )
        for e in starting
    )


def _follow_up_absences(session: Session, absent: list[int]) -> None:
    """Open one follow-up per person whose last three held sessions were all missed."""
    if not absent:
        return
    history: dict[int, list[str]] = defaultdict(list)
    rows = (
        Attendance.objects.filter(enrolment_id__in=absent, session__status=SessionStatus.HELD)
        .order_by("enrolment_id", "-session__starts_at")
        .values_list("enrolment_id", "status")
    )
    for enrolment_id, status in rows:
        history[enrolment_id].append(status)
    open_ones = set(
        FollowUp.objects.filter(enrolment_id__in=absent, resolved_at__isnull=True).values_list(
            "enrolment_id", flat=True
        )
    )
    due = [
        pk
        for pk in absent
        if pk not in open_ones
        and history[pk][:ABSENCES_BEFORE_FOLLOW_UP]
        == [AttendanceStatus.ABSENT] * ABSENCES_BEFORE_FOLLOW_UP
    ]
    FollowUp.objects.bulk_create(
        FollowUp(
            facility_id=session.facility_id,
            enrolment_id=pk,
            reason=_("Tidak hadir %(n)d sesi berturut-turut") % {"n": ABSENCES_BEFORE_FOLLOW_UP},
        )
        for pk in due
    )


class NoteLocked(Exception):
    """A signed note is never edited in place; a correction is a new note linked to it."""


@transaction.atomic
def note_save(
    *,
    enrolment: Enrolment,
    by: Any,
    data: dict[str, Any],
    sign: bool,
    note: ProgressNote | None = None,
    session: Session | None = None,
    expected_version: int | None = None,
) -> ProgressNote:
    """Write or update a draft note, and sign it if asked; a signed note is refused, and so
    (EditConflict) is an update over someone else's newer save of the draft."""
    if note is None:
        note = ProgressNote(
            facility_id=enrolment.facility_id, enrolment=enrolment, author=by, session=session
        )
        before: dict[str, Any] = {}
    elif (stored := ProgressNote.objects.select_for_update().get(pk=note.pk)).is_signed:
        raise NoteLocked
    elif expected_version is None:
        raise ValueError("An update of a draft note needs the version its form was opened at.")
    else:
        versions.claim(note, expected_version)
        before = audit.snapshot(stored, NOTE_FIELDS)
    note.updated_by, note.updated_at = by, timezone.now()
    for name, value in data.items():
        setattr(note, name, value)
    if sign:
        note.status = NoteStatus.SIGNED
        note.signed_at = timezone.now()
    note.save()
    audit.record(
        facility=enrolment.facility_id,
        actor=by,
        action="programs.note.signed" if sign else "programs.note.saved",
        target=enrolment.inmate,
        changes=audit.diff(before, audit.snapshot(note, NOTE_FIELDS), secret=NOTE_TEXT_FIELDS),
        subject=note,
    )
    return note


@transaction.atomic
def note_amend(*, note: ProgressNote, by: Any, data: dict[str, Any], reason: str) -> ProgressNote:
    """Correct a signed note with a new signed note that names the old one and why."""
    original = ProgressNote.objects.select_for_update().get(pk=note.pk)
    if not original.is_signed:
        raise NoteLocked
    if ProgressNote.objects.filter(amends=original).exists():
        raise NoteLocked
    amended = ProgressNote.objects.create(
        facility_id=original.facility_id,
        enrolment_id=original.enrolment_id,
        session_id=original.session_id,
        author=by,
        amends=original,
        amendment_reason=reason,
        status=NoteStatus.SIGNED,
        signed_at=timezone.now(),
        **data,
    )
    audit.record(
        facility=original.facility_id,
        actor=by,
        action="programs.note.amended",
        target=original.enrolment.inmate,
        summary=reason[:200],
        changes=audit.diff(
            audit.snapshot(original, NOTE_FIELDS),
            # The id, not the note: a note's str() is its text.
            audit.snapshot(amended, [*NOTE_FIELDS, "amends_id", "amendment_reason"]),
            secret=NOTE_TEXT_FIELDS,
        ),
        subject=amended,
    )
    return amended


@transaction.atomic
def individual_session_create(
    *,
    enrolment: Enrolment,
    by: Any,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    kind: str,
    module: Module | None = None,
    place: str = "",
) -> tuple[Session, list[str]]:
    """Plan a session for one participant; return it with anything it clashes with."""
    tz = ZoneInfo(enrolment.facility.time_zone)
    session = Session.objects.create(
        facility_id=enrolment.facility_id,
        enrolment=enrolment,
        kind=kind,
        module=module,
        place=place,
        starts_at=_local(day, start, tz),
        ends_at=_local(day, end, tz),
        created_by=by,
    )
    clashes = session_clashes(
        facility_id=enrolment.facility_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=place,
        exclude=session.pk,
        tz=tz,
        inmate_ids=[enrolment.inmate_id],
    )
    audit.record(
        facility=enrolment.facility_id,
        actor=by,
        action="programs.session.planned",
        target=enrolment.inmate,
        summary=f"{session.get_kind_display()} {zoned(session.starts_at, tz=tz)}",
        changes=audit.diff({}, audit.snapshot(session, SESSION_FIELDS)),
        subject=session,
    )
    return session, clashes


@transaction.atomic
def phase_change(
    *, enrolment: Enrolment, by: Any, phase: str, reason: str, on: datetime.date | None = None
) -> PhaseChange:
    """Move a Therapeutic Community resident to a phase, with the reason; keep every step."""
    current = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("track")
        .get(pk=enrolment.pk)
    )
    if current.track.kind != TrackKind.TC:
        raise TransitionRefused(_("Fase hanya untuk program Komunitas Terapeutik."))
    if current.state != EnrolmentState.ACTIVE:
        raise TransitionRefused(_("Fase hanya dapat diubah untuk peserta yang aktif."))
    if phase not in TcPhase.values:
        raise TransitionRefused(_("Fase tidak dikenal."))
    _check_reason_length(reason, settings.TEXT_MAX_SHORT)
    if not reason.strip():
        raise TransitionRefused(_("Tuliskan alasan perubahan fase."))
    latest = current.phases.order_by("-on", "-id").first()
    if latest is not None and latest.phase == phase:
        raise TransitionRefused(_("Peserta sudah berada di fase ini."))
    step = PhaseChange.objects.create(
        enrolment=current, phase=phase, on=on or timezone.localdate(), reason=reason, by=by
    )
    before = {"phase": latest.phase if latest is not None else None}
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.enrolment.phase",
        target=current.inmate,
        summary=f"{TcPhase(phase).label}: {reason}"[:255],
        changes=audit.diff(before, audit.snapshot(step, ["phase", "on", "reason"])),
        subject=step,
    )
    return step


def transfer_summary(inmate: Inmate, can: Callable[[str], bool]) -> list[tuple[str, str]]:
    """For the destination of a transfer: the WBP's latest programme and where it stands."""
    if not can("programme.view"):
        return []
    # A proposal the warden refused (or one closed by the move) was never a programme.
    enrolment = (
        Enrolment.objects.filter(inmate=inmate)
        .exclude(state=EnrolmentState.REJECTED)
        .select_related("track", "cohort")
        .order_by("-id")
        .first()
    )
    if enrolment is None:
        return [(_("Program"), _("Belum pernah ditempatkan di program."))]
    tally = attendance.enrolment_tally(enrolment)
    text = _("%(track)s · %(state)s · hadir %(attended)d dari %(marks)d sesi terlaksana") % {
        "track": enrolment.track,
        "state": enrolment.get_state_display(),
        "attended": tally.attended,
        "marks": tally.marks,
    }
    return [(_("Program"), text)]


def handover_summary(inmate: Inmate, can: Callable[[str], bool]) -> list[tuple[str, str]]:
    """For the hand-over of a transfer out of rehab: the absence follow-ups still open and the
    WBP this one must be kept apart from, with the reason."""
    from programs.models import FollowUp, NonAssociation

    lines: list[tuple[str, str]] = []
    if can("programme.view"):
        zone = inmate.facility.tzinfo
        open_follow_ups = [
            f"{short_date(timezone.localtime(f.created_at, zone).date())}: {f.reason}"
            for f in FollowUp.objects.filter(
                enrolment__inmate=inmate, resolved_at__isnull=True
            ).order_by("created_at")
        ]
        lines.append((_("Tindak lanjut terbuka"), "; ".join(open_follow_ups) or _("Tidak ada.")))
    if can("separation.view"):
        apart = [
            f"{(n.second if n.first_id == inmate.pk else n.first).full_name} ({n.reason})"
            for n in NonAssociation.objects.active()
            .filter(Q(first=inmate) | Q(second=inmate))
            .select_related("first", "second")
            .order_by("created_at")
        ]
        lines.append((_("Harus dipisah dari"), "; ".join(apart) or _("Tidak ada.")))
    return lines


def transferred_programme(inmate: Inmate, *, checked: bool = False) -> Enrolment | None:
    """The programme a WBP taken in from another UPT left there, if it is not continued yet and
    the WBP holds no programme here: what the counsellor may continue or restart. `checked`:
    the caller already knows the WBP holds no programme here."""
    previous = inmate.previous_episode_id
    if previous is None:
        return None
    held = Enrolment.objects.filter(inmate=inmate).exclude(state=EnrolmentState.REJECTED)
    if not checked and held.exists():
        return None
    return (
        Enrolment.objects.filter(
            inmate_id=previous, drop_reason=DropReason.TRANSFERRED, continued_by__isnull=True
        )
        .select_related("track", "assessment", "facility")
        .order_by("-id")
        .first()
    )


@transaction.atomic
def enrolment_continue(
    *, inmate: Inmate, origin: Enrolment, cohort: Cohort, by: Any, reason: str, carry: bool
) -> Enrolment:
    """After a transfer: propose the WBP for a cohort here. Continuing (`carry`) keeps the tier
    and counts the sessions attended at the origin toward completion; restarting begins again.
    Either way the reason is kept, and the warden approves as for any placement."""
    reason = reason.strip()
    if not reason:
        raise PlacementRefused(_("Tuliskan alasan melanjutkan atau memulai ulang."))
    if (
        origin.inmate_id != inmate.previous_episode_id
        or origin.drop_reason != DropReason.TRANSFERRED
    ):
        raise PlacementRefused(_("Program ini bukan program WBP ini di UPT asal."))
    if carry and cohort.track.tier != origin.track.tier:
        raise PlacementRefused(
            _("Melanjutkan hanya ke angkatan tingkat yang sama (%(tier)s).")
            % {"tier": origin.track.get_tier_display()}
        )
    word = _("Melanjutkan") if carry else _("Memulai ulang")
    return enrolment_propose(
        inmate=inmate,
        track=cohort.track,
        cohort=cohort,
        assessment=origin.assessment,
        by=by,
        reason=_("%(word)s program dari %(facility)s: %(reason)s")
        % {"word": word, "facility": origin.facility, "reason": reason},
        continues=origin if carry else None,
    )
