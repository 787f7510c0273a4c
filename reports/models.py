"""Frozen report snapshots: one current report per facility, kind and period, with its
figures, their checksum, the rendered file and who generated and signed it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rehab.models import Facility


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Laporan Bulanan Program Rehabilitasi")
    QUARTERLY = "quarterly", _("Laporan Hasil Rehabilitasi Triwulanan")
    YEARLY = "yearly", _("Laporan Hasil Rehabilitasi Tahunan")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    READY = "ready", _("Siap ditinjau")
    FAILED = "failed", _("Gagal dibuat")
    SIGNED = "signed", _("Ditandatangani")


# How many months each kind covers.
PERIOD_MONTHS = {ReportKind.MONTHLY: 1, ReportKind.QUARTERLY: 3, ReportKind.YEARLY: 12}


class ReportQuerySet(models.QuerySet["Report"]):
    def current(self) -> ReportQuerySet:
        return self.filter(current=True)


class Report(models.Model):
    """One version of a facility's report for a period. Regenerating with unchanged data keeps
    the version; changed data makes a new version and the old one stops being current."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    kind = models.CharField(_("jenis laporan"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode (tidak termasuk)"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    current = models.BooleanField(_("versi berlaku"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    figures = models.JSONField(_("angka"), default=dict, blank=True)
    checksum = models.CharField(_("kode pemeriksa angka"), max_length=64, blank=True)
    file = models.FileField(_("berkas"), upload_to="reports/", blank=True)
    narrative = models.TextField(_("uraian Kepala Rutan"), blank=True)
    # Bumped on every save of the narrative: a form posted against an older one is a conflict.
    revision = models.PositiveIntegerField(default=1, editable=False)
    error = models.TextField(_("kesalahan terakhir"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    requested_at = models.DateTimeField(_("diminta pada"), auto_now_add=True)
    generated_at = models.DateTimeField(_("dibuat pada"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditandatangani oleh"),
    )
    signed_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    # `version` numbers the frozen figures; `revision` counts the saves of the narrative.
    version_field = "revision"

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            # Whatever Celery does (retries, a second beat, a killed worker), the database
            # holds exactly one current report per facility, kind and period.
            models.UniqueConstraint(
                fields=["facility", "kind", "period_start"],
                condition=models.Q(current=True),
                name="report_one_current_per_period",
            ),
            models.UniqueConstraint(
                fields=["facility", "kind", "period_start", "version"],
                name="report_unique_version",
            ),
        ]
        indexes = [models.Index(fields=["facility", "kind", "-period_start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label} · {self.facility}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.kind == ReportKind.MONTHLY:
            return f"{self.period_start:%m-%Y}"
        if self.kind == ReportKind.QUARTERLY:
            return f"T{(self.period_start.month - 1) // 3 + 1}-{self.period_start:%Y}"
        return f"{self.period_start:%Y}"

    @property
    def is_signed(self) -> bool:
        return self.status == ReportStatus.SIGNED

    @property
    def is_pending(self) -> bool:
        return self.status == ReportStatus.QUEUED


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return [start, end) of the period of this kind that contains the day."""
    months = PERIOD_MONTHS[ReportKind(kind)]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    total = start.month - 1 + months
    return start, datetime.date(start.year + total // 12, total % 12 + 1, 1)


def previous_period(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the last complete period of this kind before the day."""
    start, _end = period_of(kind, day)
    return period_of(kind, start - datetime.timedelta(days=1))


class MonthlySummary(models.Model):
    """The monthly figures of one facility, stored once so that the pages over many
    facilities (the supervisor's roll-up and today page) and the 12-month trend read one row per
    facility and month instead of counting raw rows (reports/summary.py).

    `figures` is exactly what `reports.indicators.monthly_figures` returns, and `headline` the
    part of it those pages read (stored apart so that they never load the whole), in two kinds:

    - a report's copy (`report` set): the current monthly report's `figures["indicators"]`.
      `report_generate` writes the copy in the transaction that writes the report version, so a
      copy is never older than its report; a reader that finds a report without its copy (made
      before summaries existed) copies it. A signed report is frozen by design (DESIGN.md:
      monthly figures frozen, signed): a correction made after the signature changes the data,
      not the signed report, so not its copy either, and the roll-up and the trend keep showing
      the signed numbers; a correction before the signature is counted by regenerating, which
      makes a new version and copies it. The roll-up and the trend read only copies, so their
      numbers are the reports' numbers.
    - counted (`report` empty): a month with no report yet, above all the month so far, which
      beat counts again every hour (`refresh_current_summaries`) for the supervisor's today page.
      Provisional: a reader counts it again once it is older than
      REPORT_SUMMARY_MAX_AGE_MINUTES or of an older layout, so a correction shows within the
      hour, and the page says when it was counted. The trend never reads these: a month without
      a report is counted from the raw rows there.
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("UPT")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    figures = models.JSONField(_("angka"), default=dict)
    # The figures the pages over many facilities and the trend read (summary.PAGE_FIGURES).
    headline = models.JSONField(_("angka utama"), default=dict)
    schema_version = models.PositiveSmallIntegerField(_("versi susunan angka"))
    report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laporan sumber"),
    )
    computed_at = models.DateTimeField(_("dihitung pada"))

    class Meta:
        verbose_name = _("ringkasan bulanan")
        verbose_name_plural = _("ringkasan bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year", "month"], name="monthly_summary_one_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="monthly_summary_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.year} · {self.facility}"

    @property
    def is_provisional(self) -> bool:
        return self.report_id is None
