"""What takes a WBP out of a session: court hearings, health appointments, visits and transfers
out (blocks on a person's day), and the pairs of WBP who must be kept apart. The rules are in
programs/scheduling/services.py; the clash check in programs/scheduling/clashes.py."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inmates.models import Inmate
from rehab.models import Facility


class BlockKind(models.TextChoices):
    COURT = "court", _("Sidang pengadilan")
    HEALTH = "health", _("Janji layanan kesehatan")
    VISIT = "visit", _("Kunjungan terjadwal")
    TRANSFER = "transfer", _("Pindah keluar")


class PersonBlock(models.Model):
    """A time on one day when the WBP is elsewhere. No hours: the whole day."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("WBP")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=BlockKind.choices)
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    end_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    court = models.CharField(_("pengadilan"), max_length=120, blank=True)
    case_number = models.CharField(_("nomor perkara"), max_length=60, blank=True)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan batal"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every edit: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("jadwal pribadi WBP")
        verbose_name_plural = _("jadwal pribadi WBP")
        ordering = ["date", "start_time", "id"]
        indexes = [
            models.Index(fields=["facility", "date"]),
            models.Index(fields=["inmate", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True, end_time__isnull=True)
                | models.Q(
                    start_time__isnull=False,
                    end_time__isnull=False,
                    end_time__gt=models.F("start_time"),
                ),
                name="person_block_hours",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("programs:block_list", args=[self.inmate_id])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def overlaps(self, start: datetime.time, end: datetime.time) -> bool:
        if self.start_time is None or self.end_time is None:
            return True  # the whole day
        return self.start_time < end and start < self.end_time

    def describe(self, zone: str = "") -> str:
        """What a clash names: the kind, the hours (in the facility's `zone`, WIB/WITA/WIT,
        when given), and for a hearing the court."""
        hours = (
            f"{self.start_time:%H.%M}\u2013{self.end_time:%H.%M}{f' {zone}' if zone else ''}"
            if self.start_time and self.end_time
            else str(_("sepanjang hari"))
        )
        text = f"{BlockKind(self.kind).label} {hours}"
        if self.kind == BlockKind.COURT and self.court:
            text += f" ({self.court})"
        return text

    @property
    def described(self) -> str:
        """`describe` with the facility's zone (load the facility with the block)."""
        return self.describe(self.facility.time_zone_label)


class NonAssociationQuerySet(models.QuerySet["NonAssociation"]):
    def active(self) -> NonAssociationQuerySet:
        return self.filter(ended_at__isnull=True)


class NonAssociation(models.Model):
    """Two WBP of one facility who must be kept apart (co-accused, rivals, a victim and an
    offender). The reason is for the staff and the warden only; others see only the warning."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    first = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="+", verbose_name=_("WBP pertama")
    )
    second = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="+", verbose_name=_("WBP kedua")
    )
    reason = models.CharField(_("alasan dipisah"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("diakhiri pada"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("alasan diakhiri"), max_length=255, blank=True)

    objects = NonAssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("WBP yang harus dipisah")
        verbose_name_plural = _("WBP yang harus dipisah")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["facility", "ended_at"]),
            models.Index(fields=["first", "ended_at"]),
            models.Index(fields=["second", "ended_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first=models.F("second")), name="non_association_two_people"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first.full_name} dan {self.second.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("programs:separation_list")

    def partner_of(self, inmate_id: int) -> Inmate:
        return self.second if inmate_id == self.first_id else self.first


class Maintained(models.Model):
    """Who added a facility's record and who last changed it, and its version: the facility's
    own lists (facilitators, rooms) are kept by hand, edited by several people."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every edit: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Speaker(Maintained):
    """A facilitator of the facility's sessions: a staff user, or an outside speaker with their
    agency (BNNK, Dinkes, Kemenag, Disnakertrans, an NGO). One leading two sessions at the same
    time is a clash."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun petugas"),
    )
    name = models.CharField(_("nama"), max_length=120)
    agency = models.CharField(_("instansi"), max_length=120, blank=True)
    topics = models.CharField(_("materi"), max_length=255, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("fasilitator")
        verbose_name_plural = _("fasilitator UPT")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["facility", "active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})" if self.agency else self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:facilitator_detail", args=[self.pk])


class Room(Maintained):
    """A room of the facility where sessions are held, and how many people it seats. Sessions,
    cohorts and courses keep their free-text place; a place that names a room (any case) is
    checked against the room's capacity."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    name = models.CharField(_("nama ruang"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("kapasitas (orang)"))
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("ruang")
        verbose_name_plural = _("ruang UPT")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "facility", name="room_name_unique_per_facility"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_capacity"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:room_list")


class HoursPeriod(models.Model):
    """A period of the facility's calendar when programme sessions run only within set daily
    hours: Ramadan, say (preloaded as an estimate the staff correct after the sidang isbat)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("UPT")
    )
    title = models.CharField(_("nama masa"), max_length=60, default="Ramadan")
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    start_time = models.TimeField(_("sesi paling awal"))
    end_time = models.TimeField(_("sesi paling akhir"))
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every edit: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("jam sesi khusus")
        verbose_name_plural = _("jam sesi khusus (Ramadan)")
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["facility", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="hours_period_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="hours_period_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_date:%d-%m-%Y}\u2013{self.end_date:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("programs:activity_list")

    @property
    def hours(self) -> str:
        return f"{self.start_time:%H.%M}\u2013{self.end_time:%H.%M}"

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    def allows(self, start: datetime.time, end: datetime.time) -> bool:
        return self.start_time <= start and end <= self.end_time
