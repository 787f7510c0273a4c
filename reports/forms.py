"""Forms of the report screens: ask for a report now, write the narrative and sign."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inmates.forms import DayFirstDateField
from rehab.forms import VersionedForm
from rehab.models import Facility
from reports.models import ReportKind, period_of


class GenerateForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=gettext_lazy("UPT"), queryset=Facility.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Jenis laporan"), choices=ReportKind.choices)
    period = forms.CharField(
        label=gettext_lazy("Periode (bulan-tahun)"),
        help_text=gettext_lazy("Contoh: 10-2026. Triwulan dan tahun diambil dari bulan ini."),
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]

    def clean_period(self) -> datetime.date:
        text = self.cleaned_data["period"].strip()
        try:
            day = datetime.datetime.strptime(text, "%m-%Y").date()
        except ValueError:
            raise forms.ValidationError(
                _("Tulis periode sebagai bulan-tahun, misalnya 10-2026.")
            ) from None
        if day > timezone.localdate():
            raise forms.ValidationError(_("Periode tidak boleh di masa depan."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        day, kind = cleaned.get("period"), cleaned.get("kind")
        if day and kind:
            start, end = period_of(kind, day)
            if end > timezone.localdate():
                self.add_error(
                    "period",
                    _("Periode ini belum selesai; laporan dibuat setelah periode berakhir."),
                )
            cleaned["start"] = start
        return cleaned


class SignForm(VersionedForm, forms.Form):
    """The warden's narrative, saved (and signed) over the report's revision it was opened at."""

    narrative = forms.CharField(
        label=gettext_lazy("Uraian dan analisis Kepala Rutan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )


class SummaryRefreshForm(forms.Form):
    """The month whose stored summaries a supervisor has counted again."""

    period = forms.CharField(
        label=gettext_lazy("Periode (bulan-tahun)"), max_length=7, widget=forms.HiddenInput
    )

    def clean_period(self) -> datetime.date:
        text = self.cleaned_data["period"].strip()
        try:
            day = datetime.datetime.strptime(text, "%m-%Y").date()
        except ValueError:
            raise forms.ValidationError(
                _("Tulis periode sebagai bulan-tahun, misalnya 10-2026.")
            ) from None
        if day > timezone.localdate():
            raise forms.ValidationError(_("Periode tidak boleh di masa depan."))
        return day


class TdiPeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Bulan")
    QUARTER = "quarter", gettext_lazy("Triwulan")
    YEAR = "year", gettext_lazy("Tahun")
    RANGE = "range", gettext_lazy("Rentang tanggal")


# The earliest day an export may start: nothing older is held.
TDI_EARLIEST = datetime.date(2000, 1, 1)
TDI_MAX_DAYS = 366


class TdiForm(forms.Form):
    """The facility and period of a TDI export: a month (10-2026), a quarter (3-2026), a year
    (2026), or a range of at most a year; read from the query string, so a download is a link."""

    facility = forms.ModelChoiceField(
        label=gettext_lazy("UPT"), queryset=Facility.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis periode"),
        choices=TdiPeriodKind.choices,
        initial=TdiPeriodKind.MONTH,
    )
    period = forms.CharField(
        label=gettext_lazy("Periode"),
        required=False,
        max_length=7,
        help_text=gettext_lazy("Bulan: 10-2026 · triwulan: 3-2026 · tahun: 2026."),
    )
    start = DayFirstDateField(label=gettext_lazy("Dari tanggal"), required=False)
    end = DayFirstDateField(label=gettext_lazy("Sampai tanggal"), required=False)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]

    def _period(self, kind: str, text: str) -> tuple[datetime.date, datetime.date]:
        """[start, end) of a month, quarter or year typed as text; ValueError if unreadable."""
        if kind == TdiPeriodKind.YEAR:
            year = int(text)
            if not 2000 <= year <= 9999:
                raise ValueError(text)
            return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        number, year_text = text.split("-")
        year, number_value = int(year_text), int(number)
        if kind == TdiPeriodKind.QUARTER:
            if not 1 <= number_value <= 4:
                raise ValueError(text)
            return period_of(ReportKind.QUARTERLY, datetime.date(year, 3 * number_value - 2, 1))
        return period_of(ReportKind.MONTHLY, datetime.date(year, number_value, 1))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        kind = cleaned.get("kind")
        today = timezone.localdate()
        if kind == TdiPeriodKind.RANGE:
            start, last = cleaned.get("start"), cleaned.get("end")
            if start is None:
                self.add_error("start", _("Isi tanggal awal."))
            if last is None:
                self.add_error("end", _("Isi tanggal akhir."))
            if start is None or last is None:
                return cleaned
            if last < start:
                self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
                return cleaned
            if (last - start).days + 1 > TDI_MAX_DAYS:
                self.add_error(
                    "end", _("Rentang paling panjang %(days)d hari.") % {"days": TDI_MAX_DAYS}
                )
                return cleaned
            end = last + datetime.timedelta(days=1)
            field = "start"
        elif kind:
            text = (cleaned.get("period") or "").strip()
            examples = {
                TdiPeriodKind.MONTH: _("Tulis bulan sebagai bulan-tahun, misalnya 10-2026."),
                TdiPeriodKind.QUARTER: _("Tulis triwulan sebagai nomor-tahun, misalnya 3-2026."),
                TdiPeriodKind.YEAR: _("Tulis tahun dengan empat angka, misalnya 2026."),
            }
            try:
                start, end = self._period(kind, text)
            except ValueError:
                self.add_error("period", examples[TdiPeriodKind(kind)])
                return cleaned
            field = "period"
        else:
            return cleaned
        if start < TDI_EARLIEST:
            self.add_error(field, _("Periode tidak boleh sebelum tahun 2000."))
        elif start > today:
            self.add_error(field, _("Periode tidak boleh di masa depan."))
        else:
            cleaned["period_start"], cleaned["period_end"] = (
                start,
                min(end, today + datetime.timedelta(days=1)),
            )
        return cleaned
