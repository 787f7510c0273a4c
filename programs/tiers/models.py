"""Tier programmes: tracks, cohorts, enrolments with a dated state history, sessions,
attendance, progress notes and absence follow-ups."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Tier
from inmates.models import Inmate
from rehab.formats import zoned
from rehab.models import Agency, Facility


class TrackKind(models.TextChoices):
    PROGRAMME = "programme", _("Program rehabilitasi")
    TC = "tc", _("Komunitas Terapeutik (TC)")


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Konseling individu")
    GROUP = "group", _("Konseling kelompok")
    FAMILY = "family", _("Konseling keluarga")
    EDUCATION = "education", _("Edukasi")
    HEALTH = "health", _("Kesehatan")
    PSYCHOLOGY = "psychology", _("Psikologi")
    RELIGION = "religion", _("Keagamaan")
    TC_MORNING = "tc_morning", _("Pertemuan pagi TC")
    VOCATIONAL = "vocational", _("Vokasional")
    OTHER = "other", _("Lainnya")


class Module(models.Model):
    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    """A programme of one tier: Ringan 15 days, Sedang 30, Berat 60 or a TC of up to 6 months."""

    name = models.CharField(_("nama"), max_length=120)
    tier = models.CharField(_("tingkat"), max_length=10, choices=Tier.choices)
    kind = models.CharField(
        _("jenis"), max_length=10, choices=TrackKind.choices, default=TrackKind.PROGRAMME
    )
    duration_days = models.PositiveSmallIntegerField(_("lama (hari)"))
    # The completion gate (programs/completion.py): attended / held sessions, in percent.
    required_percent = models.PositiveSmallIntegerField(
        _("syarat kehadiran (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Bagian sesi terlaksana yang harus dihadiri untuk selesai."),
    )
    description = models.TextField(_("uraian"), blank=True)
    modules = models.ManyToManyField(Module, blank=True, verbose_name=_("modul"))
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jalur program")
        verbose_name_plural = _("jalur program")
        ordering = ["duration_days", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(required_percent__lte=100), name="track_required_percent"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TrackRequirement(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="requirements")
    session_kind = models.CharField(_("jenis sesi"), max_length=12, choices=SessionKind.choices)
    count = models.PositiveSmallIntegerField(_("jumlah sesi wajib"))

    class Meta:
        verbose_name = _("sesi wajib")
        verbose_name_plural = _("sesi wajib")
        constraints = [
            models.UniqueConstraint(
                fields=["track", "session_kind"], name="requirement_unique_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_session_kind_display()} x{self.count}"


class Cohort(models.Model):
    """An angkatan: a group that goes through one track together."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("jalur")
    )
    name = models.CharField(_("nama angkatan"), max_length=120)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), default=20)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every edit: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        ordering = ["-start_date", "name"]
        indexes = [models.Index(fields=["facility", "-start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="cohort_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:cohort_detail", args=[self.pk])


class Facilitator(models.Model):
    """Who leads sessions of a cohort: a staff user, or an external speaker with their agency."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="facilitators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(_("nama narasumber luar"), max_length=120, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("instansi")
    )
    topic = models.CharField(_("materi"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("fasilitator")
        verbose_name_plural = _("fasilitator")

    def __str__(self) -> str:
        return self.name or (self.user.get_full_name() if self.user else "")


class EnrolmentState(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan (menunggu persetujuan Karutan)")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    PLACED = "placed", _("Ditempatkan")
    ACTIVE = "active", _("Aktif")
    COMPLETED = "completed", _("Selesai program")
    DROPPED_OUT = "dropped_out", _("Putus program")
    CHANGED = "changed", _("Pindah tingkat")
    REJECTED = "rejected", _("Ditolak")


class DropReason(models.TextChoices):
    RELEASED = "released", _("Bebas")
    TRANSFERRED = "transferred", _("Pindah UPT")
    VIOLATION = "violation", _("Pelanggaran")
    ILLNESS = "illness", _("Sakit")
    DIED = "died", _("Meninggal")
    WITHDREW = "withdrew", _("Mengundurkan diri")


OPEN_STATES = (
    EnrolmentState.PROPOSED,
    EnrolmentState.WAITLISTED,
    EnrolmentState.PLACED,
    EnrolmentState.ACTIVE,
)
# States that take a place in the cohort.
SEATED_STATES = (EnrolmentState.PLACED, EnrolmentState.ACTIVE)


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def open(self) -> EnrolmentQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def seated(self) -> EnrolmentQuerySet:
        return self.filter(state__in=SEATED_STATES)


class Enrolment(models.Model):
    """A WBP's place in a track (and usually a cohort), with every state change kept."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("WBP")
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="+", verbose_name=_("jalur")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("angkatan"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asesmen dasar penempatan"),
    )
    state = models.CharField(
        _("status"), max_length=12, choices=EnrolmentState.choices, default=EnrolmentState.PROPOSED
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("menggantikan (pindah tingkat)"),
    )
    # The programme at the UPT the WBP came from, continued here after a transfer: its sessions
    # attended count toward this enrolment's completion (programs/attendance.py).
    continues = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("melanjutkan program dari UPT asal"),
    )
    drop_reason = models.CharField(
        _("alasan putus"), max_length=12, choices=DropReason.choices, blank=True
    )
    started_on = models.DateField(_("mulai"), null=True, blank=True)
    ended_on = models.DateField(_("berakhir"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta program")
        verbose_name_plural = _("peserta program")
        ordering = ["inmate__full_name", "id"]
        indexes = [
            models.Index(fields=["facility", "state"]),
            models.Index(fields=["cohort", "state"]),
            models.Index(fields=["inmate", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=EnrolmentState.DROPPED_OUT) | models.Q(drop_reason=""),
                name="enrolment_drop_reason_only_when_dropped_out",
            ),
            models.CheckConstraint(
                condition=models.Q(replaces__isnull=True) | ~models.Q(replaces=models.F("pk")),
                name="enrolment_does_not_replace_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inmate.full_name} · {self.track}"

    def get_absolute_url(self) -> str:
        return reverse("programs:enrolment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class EnrolmentEvent(models.Model):
    """One move of an enrolment from a state to another: when, why, by whom, approved by whom."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(
        _("dari"), max_length=12, choices=EnrolmentState.choices, blank=True
    )
    to_state = models.CharField(_("ke"), max_length=12, choices=EnrolmentState.choices)
    on = models.DateField(_("tanggal"))
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat status peserta")
        verbose_name_plural = _("riwayat status peserta")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class TcPhase(models.TextChoices):
    INDUCTION = "induction", _("Induksi")
    YOUNGER = "younger", _("Primer: younger member")
    MIDDLE = "middle", _("Primer: middle peer")
    OLDER = "older", _("Primer: older member")
    REENTRY = "reentry", _("Re-entry")
    AFTERCARE = "aftercare", _("Aftercare")


class PhaseChange(models.Model):
    """A step of a Therapeutic Community resident from one phase to the next."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("fase TC"), max_length=10, choices=TcPhase.choices)
    on = models.DateField(_("tanggal"))
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fase TC")
        verbose_name_plural = _("fase TC")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return self.get_phase_display()


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    HELD = "held", _("Terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")


class Session(models.Model):
    """A group session of a cohort, or an individual session of one enrolment."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("angkatan"),
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="individual_sessions",
        verbose_name=_("peserta (sesi individu)"),
    )
    kind = models.CharField(_("jenis sesi"), max_length=12, choices=SessionKind.choices)
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("modul")
    )
    title = models.CharField(_("judul"), max_length=150, blank=True)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.CharField(_("alasan batal"), max_length=255, blank=True)
    # Set when the session is moved or cancelled: the today page of its facility shows it.
    changed_at = models.DateTimeField(_("jadwal diubah pada"), null=True, blank=True)
    previous_starts_at = models.DateTimeField(_("jadwal semula"), null=True, blank=True)
    change_reason = models.CharField(_("alasan pindah jadwal"), max_length=255, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("fasilitator")
    )
    external_speaker = models.CharField(_("narasumber luar"), max_length=150, blank=True)
    # The facility's facilitators (staff or outside speakers) who lead it: a double booking
    # of one of them is a clash (programs.scheduling.clashes).
    speakers = models.ManyToManyField(
        "programs.Speaker", blank=True, related_name="sessions", verbose_name=_("fasilitator UPT")
    )
    # Bumped on every attendance save: a second save over an older roster is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["facility", "starts_at"]),
            models.Index(fields=["cohort", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {zoned(self.starts_at, tz=self.facility.tzinfo)}"

    def get_absolute_url(self) -> str:
        return reverse("programs:session_detail", args=[self.pk])


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    LATE = "late", _("Terlambat")
    EXCUSED = "excused", _("Izin")
    ABSENT = "absent", _("Tidak hadir")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("kehadiran"), max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_unique_per_session"
            )
        ]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.status}"


class ActivityKind(models.TextChoices):
    ROLL_CALL = "roll_call", _("Apel")
    WORSHIP = "worship", _("Ibadah")
    WORK = "work", _("Kerja")
    MEAL = "meal", _("Makan")
    PEMBINAAN = "pembinaan", _("Program pembinaan lain")
    VISITING = "visiting", _("Jam kunjungan")
    HOLIDAY = "holiday", _("Hari libur")
    OTHER = "other", _("Lainnya")


class FacilityActivity(models.Model):
    """Something else on the facility's calendar that a session must not collide with.

    Either one dated occurrence, or a weekly one (weekday set, date empty). A holiday with no
    times blocks the whole day.
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("UPT")
    )
    title = models.CharField(_("kegiatan"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=ActivityKind.choices)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("hari (mingguan)"),
        null=True,
        blank=True,
        choices=[
            (i, d)
            for i, d in enumerate(
                [
                    _("Senin"),
                    _("Selasa"),
                    _("Rabu"),
                    _("Kamis"),
                    _("Jumat"),
                    _("Sabtu"),
                    _("Minggu"),
                ]
            )
        ],
    )
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    end_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    # Bumped on every save: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("kegiatan UPT")
        verbose_name_plural = _("kalender kegiatan UPT")
        indexes = [
            models.Index(fields=["facility", "date"]),
            models.Index(fields=["facility", "weekday"]),
        ]

    def __str__(self) -> str:
        return self.title

    def occurs_on(self, day: datetime.date) -> bool:
        return self.date == day if self.date else self.weekday == day.weekday()

    def overlaps(self, start: datetime.time, end: datetime.time) -> bool:
        if self.start_time is None or self.end_time is None:
            return True  # an all-day activity
        return self.start_time < end and start < self.end_time


class FollowUp(models.Model):
    """Something a counselor must look into: three absences in a row, for now."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_ups")
    reason = models.CharField(_("alasan"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("tindak lanjut"), blank=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        indexes = [models.Index(fields=["facility", "resolved_at"])]

    def __str__(self) -> str:
        return self.reason


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SIGNED = "signed", _("Ditandatangani")


class ProgressNote(models.Model):
    """A counselling note: visible to counselor and health roles only; amended, never edited
    once signed."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="notes")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("ringkasan"))
    participation = models.TextField(_("partisipasi"), blank=True)
    concerns = models.TextField(_("hal yang perlu diperhatikan"), blank=True)
    next_steps = models.TextField(_("langkah berikutnya"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by"
    )
    amendment_reason = models.TextField(_("alasan koreksi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every save of a draft: a form posted against an older draft is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("catatan perkembangan")
        verbose_name_plural = _("catatan perkembangan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary[:60]

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


# The allowed-transition table: (from, to) -> the action a user needs to make the move.
# Placement and tier change need the warden's approval; every other pair is refused.
APPROVE, MANAGE = "enrolment.approve", "enrolment.manage"
TRANSITIONS: dict[tuple[str, str], str] = {
    (EnrolmentState.PROPOSED, EnrolmentState.PLACED): APPROVE,
    (EnrolmentState.PROPOSED, EnrolmentState.WAITLISTED): APPROVE,
    (EnrolmentState.PROPOSED, EnrolmentState.REJECTED): APPROVE,
    (EnrolmentState.WAITLISTED, EnrolmentState.PLACED): MANAGE,
    (EnrolmentState.WAITLISTED, EnrolmentState.DROPPED_OUT): MANAGE,
    (EnrolmentState.PLACED, EnrolmentState.ACTIVE): MANAGE,
    (EnrolmentState.PLACED, EnrolmentState.DROPPED_OUT): MANAGE,
    (EnrolmentState.PLACED, EnrolmentState.CHANGED): APPROVE,
    (EnrolmentState.ACTIVE, EnrolmentState.COMPLETED): MANAGE,
    (EnrolmentState.ACTIVE, EnrolmentState.DROPPED_OUT): MANAGE,
    (EnrolmentState.ACTIVE, EnrolmentState.CHANGED): APPROVE,
}
