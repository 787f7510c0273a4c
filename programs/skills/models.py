"""Skills training (pembinaan kemandirian): courses, meetings, trainees and their attendance."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inmates.models import Inmate
from programs.tiers.models import AttendanceStatus, SessionStatus
from rehab.formats import zoned
from rehab.models import Facility


class CourseKind(models.TextChoices):
    MECHANIC = "mechanic", _("Bengkel/Otomotif")
    OPERATOR = "operator", _("Operator alat berat")
    SEWING = "sewing", _("Menjahit/Konveksi")
    CULINARY = "culinary", _("Tata boga")
    FARMING = "farming", _("Pertanian/Ketahanan pangan")
    FISHERIES = "fisheries", _("Perikanan")
    WELDING = "welding", _("Las")
    BARBER = "barber", _("Pangkas rambut")
    SCREEN_PRINT = "screen_print", _("Sablon")
    CRAFT = "craft", _("Kerajinan/Mebel")
    OTHER = "other", _("Lainnya")


class ProviderKind(models.TextChoices):
    DISNAKERTRANS = "disnakertrans", _("Disnakertrans")
    BLK = "blk", _("Balai Latihan Kerja (BLK)")
    INTERNAL = "internal", _("Rutan/Lapas sendiri")
    OTHER = "other", _("Lembaga lain")


class Course(models.Model):
    """A skills course run in a facility: a catalogue entry with its own dates and capacity."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    kind = models.CharField(_("jenis pelatihan"), max_length=15, choices=CourseKind.choices)
    name = models.CharField(_("nama pelatihan"), max_length=150)
    provider_kind = models.CharField(
        _("penyelenggara"), max_length=15, choices=ProviderKind.choices
    )
    provider_name = models.CharField(_("nama penyelenggara"), max_length=150, blank=True)
    hours = models.PositiveSmallIntegerField(_("jumlah jam pelatihan"))
    # The completion gate (programs/completion.py): attended / held meetings, in percent.
    required_percent = models.PositiveSmallIntegerField(
        _("syarat kehadiran (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Bagian pertemuan terlaksana yang harus dihadiri untuk lulus."),
    )
    capacity = models.PositiveSmallIntegerField(_("kapasitas"))
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    competency_standard = models.CharField(
        _("standar kompetensi"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya unit SKKNI yang diujikan."),
    )
    certificate_issuer = models.CharField(_("penerbit sertifikat"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every edit: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("pelatihan keterampilan")
        verbose_name_plural = _("pelatihan keterampilan")
        ordering = ["-start_date", "name", "id"]
        indexes = [models.Index(fields=["facility", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="course_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="course_capacity"),
            models.CheckConstraint(
                condition=models.Q(required_percent__lte=100), name="course_required_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:course_detail", args=[self.pk])


class CourseMeeting(models.Model):
    """One meeting of a course, with the attendance taken on one screen."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    topic = models.CharField(_("materi"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.CharField(_("alasan batal"), max_length=255, blank=True)
    # Set when the meeting is moved or cancelled: the today page of its facility shows it.
    changed_at = models.DateTimeField(_("jadwal diubah pada"), null=True, blank=True)
    previous_starts_at = models.DateTimeField(_("jadwal semula"), null=True, blank=True)
    change_reason = models.CharField(_("alasan pindah jadwal"), max_length=255, blank=True)
    # Bumped on every attendance save: a second save over an older roster is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("pertemuan pelatihan")
        verbose_name_plural = _("pertemuan pelatihan")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["course", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="course_meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} {zoned(self.starts_at, tz=self.course.facility.tzinfo)}"

    def get_absolute_url(self) -> str:
        return reverse("programs:meeting_detail", args=[self.pk])


class TraineeState(models.TextChoices):
    ENROLLED = "enrolled", _("Terdaftar")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    OFFERED = "offered", _("Ditawari tempat")
    COMPLETED = "completed", pgettext_lazy("trainee state", "Selesai")
    LEFT = "left", pgettext_lazy("trainee state", "Keluar")
    DECLINED = "declined", _("Menolak tawaran")


# A trainee in one of these states holds (or waits for) a place in the course.
TRAINEE_OPEN_STATES = (TraineeState.ENROLLED, TraineeState.WAITLISTED, TraineeState.OFFERED)
# An offer holds its place until it is accepted or declined.
TRAINEE_SEATED_STATES = (TraineeState.ENROLLED, TraineeState.OFFERED, TraineeState.COMPLETED)


class Competency(models.TextChoices):
    COMPETENT = "competent", _("Kompeten")
    NOT_YET = "not_yet", _("Belum kompeten")


class Trainee(models.Model):
    """A WBP's place (or place on the waitlist) in a skills course."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="trainees")
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="trainees", verbose_name=_("WBP")
    )
    state = models.CharField(_("status"), max_length=10, choices=TraineeState.choices)
    offered_at = models.DateTimeField(_("ditawari pada"), null=True, blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    competency = models.CharField(
        _("hasil uji kompetensi"), max_length=10, choices=Competency.choices, blank=True
    )
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=60, blank=True)
    left_reason = models.CharField(_("alasan keluar"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        ordering = ["inmate__full_name", "id"]
        indexes = [
            models.Index(fields=["course", "state", "created_at"]),
            models.Index(fields=["inmate", "state"]),
            models.Index(fields=["facility", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "inmate"],
                condition=models.Q(state__in=["enrolled", "waitlisted", "offered", "completed"]),
                name="trainee_once_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inmate.full_name} · {self.course}"

    def get_absolute_url(self) -> str:
        return reverse("programs:course_detail", args=[self.course_id])

    @property
    def is_certified(self) -> bool:
        return self.state == TraineeState.COMPLETED and self.competency == Competency.COMPETENT


class CourseAttendance(models.Model):
    meeting = models.ForeignKey(CourseMeeting, on_delete=models.CASCADE, related_name="attendance")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("kehadiran"), max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kehadiran pelatihan")
        verbose_name_plural = _("kehadiran pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "trainee"], name="course_attendance_unique_per_meeting"
            )
        ]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee_id}: {self.status}"
