"""Forms for the blocks on a WBP's day (court hearings, health appointments, visits,
transfers out)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from inmates.forms import DateInput
from programs.scheduling.models import BlockKind, PersonBlock
from programs.tiers.forms import TimeInput
from rehab.forms import VersionedForm, bounded_text

BLOCK_FIELDS = ["kind", "date", "start_time", "end_time", "court", "case_number", "note"]


class BlockForm(VersionedForm, forms.ModelForm):
    """One block on the WBP's day; hours empty means the whole day."""

    class Meta:
        model = PersonBlock
        formfield_callback = bounded_text
        fields = BLOCK_FIELDS
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(format="%H:%M"),
            "end_time": TimeInput(format="%H:%M"),
        }
        help_texts = {
            "start_time": _("Kosongkan jam bila sepanjang hari."),
            "court": _("Untuk sidang: nama pengadilan."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Isi tanggalnya.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan")))
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-md-4"),
                Column("date", css_class="col-md-4"),
                Column("start_time", css_class="col-md-2"),
                Column("end_time", css_class="col-md-2"),
            ),
            Row(Column("court", css_class="col-md-7"), Column("case_number", css_class="col-md-5")),
            "note",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if (start is None) != (end is None) and "start_time" not in self.errors:
            self.add_error(
                "end_time" if start else "start_time",
                _("Isi jam mulai dan jam selesai, atau kosongkan keduanya (sepanjang hari)."),
            )
        elif start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus sesudah jam mulai."))
        if cleaned.get("kind") == BlockKind.COURT and not (cleaned.get("court") or "").strip():
            self.add_error("court", _("Tuliskan nama pengadilan untuk jadwal sidang."))
        return cleaned
