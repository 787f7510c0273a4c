"""The FHIR R4 bundle for SATUSEHAT (reports/fhir.py): a page to choose the facility and period,
and the download itself. Kept apart from reports/views.py, with its form beside it, because it
is one small screen of its own."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from inmates.forms import DateInput, DayFirstDateField
from rehab import access, audit
from rehab.models import Facility
from reports import fhir

# The longest period one bundle may cover (a year of a large Rutan is some ten thousand
# resources) and the earliest day it may start.
MAX_DAYS = 366
EARLIEST = datetime.date(2000, 1, 1)


class _Day(DayFirstDateField):
    """A day typed dd-mm-yyyy, ten characters at most."""

    def __init__(self, **kwargs: Any) -> None:
        invalid = gettext_lazy("Tulis tanggal sebagai hh-bb-tttt.")
        widget = DateInput()
        widget.attrs["maxlength"] = "10"
        super().__init__(widget=widget, error_messages={"invalid": invalid}, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value.strip()) > 10:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class FhirExportForm(forms.Form):
    upt = forms.ModelChoiceField(
        label=gettext_lazy("UPT"),
        queryset=Facility.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Pilih salah satu UPT yang ada.")},
    )
    dari = _Day(label=gettext_lazy("Dari tanggal"))
    sampai = _Day(label=gettext_lazy("Sampai tanggal"))

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upt"].queryset = facilities  # type: ignore[attr-defined]

    def clean_dari(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["dari"]
        if day < EARLIEST:
            raise forms.ValidationError(_("Tanggal awal terlalu lama (paling awal tahun 2000)."))
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal awal tidak boleh di masa depan."))
        return day

    def clean_sampai(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["sampai"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal akhir tidak boleh di masa depan."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end:
            if end < start:
                self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error(
                    "sampai",
                    _("Satu berkas paling banyak %(days)d hari; bagi periodenya.")
                    % {"days": MAX_DAYS},
                )
        return cleaned


def _defaults(facilities: Any) -> dict[str, Any]:
    """This year up to today, for the first of the user's facilities."""
    today = timezone.localdate()
    return {"upt": facilities.order_by("name").first(), "dari": today.replace(month=1, day=1),
            "sampai": today}  # fmt: skip


@require_GET
def fhir_export(request: HttpRequest) -> TemplateResponse:
    """The page that asks which facility and period to put in the bundle."""
    facilities = access.facilities_for(request.user, "report.fhir")
    access.require_somewhere(request.user, "report.fhir")
    form = FhirExportForm(initial=_defaults(facilities), facilities=facilities)
    return TemplateResponse(request, "reports/fhir_export.html", {"form": form})


@require_GET
def fhir_bundle(request: HttpRequest) -> HttpResponse:
    """The bundle as application/fhir+json (without a period: this year so far); health items
    only for a role that may see health results there. Every download is logged."""
    access.require_somewhere(request.user, "report.fhir")
    facilities = access.facilities_for(request.user, "report.fhir")
    form = FhirExportForm(request.GET or None, facilities=facilities)
    if form.is_bound and not form.is_valid():
        return TemplateResponse(request, "reports/fhir_export.html", {"form": form})
    data = form.cleaned_data if form.is_bound else _defaults(facilities)
    facility, start, end = data["upt"], data["dari"], data["sampai"]
    with_health = access.can(request.user, "health.view_result", facility)
    export = fhir.bundle(facility=facility, start=start, end=end, with_health=with_health)
    name = f"fhir-{facility.code}-{start:%Y%m%d}-{end:%Y%m%d}.json"
    content = json.dumps(export.bundle, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(content, content_type=fhir.FHIR_JSON)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    counts = ", ".join(f"{kind} {n}" for kind, n in export.counts.items() if n)
    audit.log_access(
        user=request.user, facility=facility, action="report.fhir",
        detail=f"{name}: {counts or 'kosong'}{'' if with_health else ' (tanpa data kesehatan)'}",
    )  # fmt: skip
    return response
