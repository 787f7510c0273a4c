"""Forms of the report screens: ask for a report now, write the narrative and sign."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
