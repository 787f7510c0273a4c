"""Completion of a programme or a skills course: the warden's attendance waiver and the
facility's certificate register. Both belong to either a programme enrolment or a skills
trainee; the rules are in programs/completion/services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.skills.models import Trainee
from programs.tiers.models import Enrolment
from rehab.models import Facility

_ONE_HOLDER = models.Q(enrolment__isnull=False, trainee__isnull=True) | models.Q(
    enrolment__isnull=True, trainee__isnull=False
)


class CompletionWaiver(models.Model):
    """The warden's decision that a participant may complete below the attendance requirement,
    with the reason and the attendance at the time."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, null=True, blank=True, related_name="waiver"
    )
    trainee = models.OneToOneField(
        Trainee, on_delete=models.CASCADE, null=True, blank=True, related_name="waiver"
    )
    reason = models.CharField(_("alasan pengecualian"), max_length=255)
    marks = models.PositiveIntegerField(_("jadwal tercatat"))
    attended = models.PositiveIntegerField(_("hadir"))
    required_percent = models.PositiveSmallIntegerField(_("syarat kehadiran (%)"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengecualian syarat kehadiran")
        verbose_name_plural = _("pengecualian syarat kehadiran")
        constraints = [models.CheckConstraint(condition=_ONE_HOLDER, name="waiver_one_holder")]

    def __str__(self) -> str:
        return self.reason


class Certificate(models.Model):
    """The facility's register of certificates: numbered 1, 2, 3... within a facility and a
    year, so that a printed certificate can be found again and none is numbered twice."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveIntegerField(_("nomor urut"))
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="certificate"
    )
    trainee = models.OneToOneField(
        Trainee, on_delete=models.PROTECT, null=True, blank=True, related_name="certificate"
    )
    issued_on = models.DateField(_("tanggal terbit"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("register sertifikat")
        ordering = ["facility", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year", "number"], name="certificate_number_per_facility_year"
            ),
            models.CheckConstraint(condition=_ONE_HOLDER, name="certificate_one_holder"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="certificate_number"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """The number printed on the certificate: 0007/RUTAN-TGR/2026."""
        return f"{self.number:04d}/{self.facility.code}/{self.year}"
