"""Forms for release plans and post-release follow-ups."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from inmates.forms import DateInput, not_in_future
from programs.models import (
    Aftercare,
    AidKind,
    ReleasePlan,
)
from rehab.forms import VersionedForm, bounded_text
from rehab.models import Agency, Role


class ReleasePlanForm(VersionedForm, forms.ModelForm):
    # The first save creates the plan: two first saves must not overwrite each other either.
    version_on_create = True

    class Meta:
        model = ReleasePlan
        formfield_callback = bounded_text
        fields = [
            "bnnk_referral",
            "bapas_referral",
            "receiving_agency",
            "job_training_referral",
            "capital_aid_referral",
            "family_contact_name",
            "family_contact_relation",
            "family_contact_phone",
            "follow_up_address",
            "follow_up_phone",
            "counselor",
            "notes",
        ]
        widgets = {
            "follow_up_address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, facility_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["receiving_agency"]
        ).queryset = Agency.objects.filter(facilities=facility_id).order_by("name")
        counselors = cast(forms.ModelChoiceField, self.fields["counselor"])
        counselors.queryset = (
            get_user_model()
            .objects.filter(
                memberships__facility_id=facility_id,
                memberships__role=Role.COUNSELOR,
                memberships__active=True,
            )
            .order_by("first_name", "username")
        )
        counselors.label_from_instance = _person  # type: ignore[method-assign,assignment]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan rencana")))
        self.helper.layout = Layout(
            "version",
            Row(
                Column("bnnk_referral", "bapas_referral", css_class="col-md-6"),
                Column("job_training_referral", "capital_aid_referral", css_class="col-md-6"),
            ),
            Row(
                Column("receiving_agency", css_class="col-md-6"),
                Column("counselor", css_class="col-md-6"),
            ),
            Row(
                Column("family_contact_name", css_class="col-md-5"),
                Column("family_contact_relation", css_class="col-md-3"),
                Column("family_contact_phone", css_class="col-md-4"),
            ),
            Row(
                Column("follow_up_address", css_class="col-md-8"),
                Column("follow_up_phone", css_class="col-md-4"),
            ),
            "notes",
        )

    def clean_family_contact_phone(self) -> str:
        return _phone(self.cleaned_data["family_contact_phone"])

    def clean_follow_up_phone(self) -> str:
        return _phone(self.cleaned_data["follow_up_phone"])


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _phone(value: str) -> str:
    """Accept a telephone number written with spaces, dashes or a leading +62."""
    digits = value.replace(" ", "").replace("-", "")
    if digits and not re.fullmatch(r"\+?\d{8,15}", digits):
        raise forms.ValidationError(_("Nomor telepon hanya berisi angka (8 sampai 15 digit)."))
    return value.strip()


class AftercareForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Aftercare
        formfield_callback = bounded_text
        fields = [
            "contacted_on",
            "method",
            "outcome",
            "employment",
            "aid_kind",
            "aid_amount",
            "notes",
        ]
        widgets = {"contacted_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, released_on: datetime.date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.released_on = released_on
        for name in ("contacted_on", "method", "outcome"):
            self.fields[name].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan pemantauan")))
        self.helper.layout = Layout(
            "version",
            Row(
                Column("contacted_on", css_class="col-md-4"),
                Column("method", css_class="col-md-4"),
                Column("outcome", css_class="col-md-4"),
            ),
            Row(
                Column("employment", css_class="col-md-4"),
                Column("aid_kind", css_class="col-md-4"),
                Column("aid_amount", css_class="col-md-4"),
            ),
            "notes",
        )

    def clean_contacted_on(self) -> datetime.date:
        day = not_in_future(
            self.cleaned_data["contacted_on"],
            _("Tanggal pemantauan tidak boleh di masa depan."),
        )
        if self.released_on and day < self.released_on:
            raise forms.ValidationError(_("Tanggal pemantauan tidak boleh sebelum tanggal bebas."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("aid_kind") == AidKind.CAPITAL and cleaned.get("aid_amount") is None:
            self.add_error("aid_amount", _("Isi nilai bantuan modal usaha."))
        if not cleaned.get("aid_kind") and cleaned.get("aid_amount"):
            self.add_error("aid_kind", _("Pilih jenis bantuan untuk nilai yang diisi."))
        return cleaned
