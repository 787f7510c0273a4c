"""Forms for WBP records, custody changes, search filters and the SDP import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inmates import matching, sdp, services
from inmates.listing import Shown
from inmates.models import (
    CaseArticle,
    CustodyStatus,
    Inmate,
    RegisterClass,
    ReleaseKind,
)
from rehab.forms import VersionedForm, bounded_text
from rehab.models import Facility
from rehab.uploads import RefusedUpload


class DateInput(forms.DateInput):
    """A day-month-year text box: the browser's date picker follows the PC's locale, which on a
    shared office PC is often American (mm/dd/yyyy) and misread by Indonesian users."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": _("hh-bb-tttt"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(format="%d-%m-%Y", attrs=attrs, **kwargs)


class DayFirstDateField(forms.DateField):
    """A date typed day first (15-03-1990, 15/03/1990, 15.03.1990) or as 1990-03-15, whatever
    the language: Django's English formats read 03/04/1990 as the 4th of March and refuse the
    dd-mm-yyyy this form itself shows. The duplicate probe reads dates the same way."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            day = matching.parse_typed_date(value)
            if day is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return day
        return super().to_python(value)


def not_in_future(day: Any, message: Any) -> Any:
    """Return the day, or refuse it with the message when it is after today."""
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


INMATE_FIELDS = [
    "registration_number",
    "register_class",
    "full_name",
    "aliases",
    "nik",
    "sex",
    "birth_place",
    "birth_date",
    "religion",
    "education",
    "occupation",
    "nationality",
    "address",
    "origin_regency",
    "detention_date",
    "admission_date",
    "verdict_number",
    "verdict_date",
    "sentence_months",
    "sentence_days",
    "expiry_date",
    "release_date",
    "block",
    "cell",
]


DATE_FIELDS = [
    "birth_date",
    "detention_date",
    "admission_date",
    "verdict_date",
    "expiry_date",
    "release_date",
]


class InmateForm(VersionedForm, forms.ModelForm):
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), empty_label=None
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Saya sudah memeriksa data yang mirip dan tetap ingin menyimpan."),
        required=False,
    )

    class Meta:
        model = Inmate
        formfield_callback = bounded_text
        fields = INMATE_FIELDS
        field_classes = dict.fromkeys(DATE_FIELDS, DayFirstDateField)
        widgets = {
            "birth_date": DateInput(),
            "detention_date": DateInput(),
            "admission_date": DateInput(),
            "verdict_date": DateInput(),
            "expiry_date": DateInput(),
            "release_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16}),
        }

    def __init__(
        self,
        *args: Any,
        facilities: QuerySet[Facility],
        show_duplicate: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["facility"]
        else:
            cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
        if not show_duplicate:
            del self.fields["confirm_duplicate"]
        probe_url = reverse("inmates:duplicate_check")
        if self.instance.pk:
            probe_url += f"?exclude={self.instance.pk}"
        duplicate_probe = {
            "hx-get": probe_url,
            "hx-trigger": "change",
            "hx-target": "#duplicates",
            "hx-include": "#id_nik, #id_full_name, #id_birth_date",
        }
        for name in ("nik", "full_name", "birth_date"):
            self.fields[name].widget.attrs.update(duplicate_probe)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        head = ["facility"] if "facility" in self.fields else []
        self.helper.layout = Layout(
            Fieldset(
                _("Identitas"),
                *head,
                Row(
                    Column("full_name", css_class="col-md-6"),
                    Column("aliases", css_class="col-md-6"),
                ),
                Row(
                    Column("nik", css_class="col-md-6 col-lg-4"),
                    Column("sex", css_class="col-md-6 col-lg-2"),
                    Column("birth_place", css_class="col-md-6 col-lg-3"),
                    Column("birth_date", css_class="col-md-6 col-lg-3"),
                ),
                Row(
                    Column("religion", css_class="col-md-6 col-lg-3"),
                    Column("education", css_class="col-md-6 col-lg-3"),
                    Column("occupation", css_class="col-md-6 col-lg-3"),
                    Column("nationality", css_class="col-md-6 col-lg-3"),
                ),
                Row(
                    Column("address", css_class="col-md-8"),
                    Column("origin_regency", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Registrasi dan penahanan"),
                Row(
                    Column("registration_number", css_class="col-md-6 col-lg-4"),
                    Column("register_class", css_class="col-md-6 col-lg-4"),
                    Column("block", css_class="col-md-3 col-lg-2"),
                    Column("cell", css_class="col-md-3 col-lg-2"),
                ),
                Row(
                    Column("detention_date", css_class="col-md-4"),
                    Column("admission_date", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Putusan dan masa pidana"),
                Row(
                    Column("verdict_number", css_class="col-md-6"),
                    Column("verdict_date", css_class="col-md-6"),
                ),
                Row(
                    Column("sentence_months", css_class="col-md-3"),
                    Column("sentence_days", css_class="col-md-3"),
                    Column("expiry_date", css_class="col-md-3"),
                    Column("release_date", css_class="col-md-3"),
                ),
            ),
            Div(*self.version_slot(), *(["confirm_duplicate"] if show_duplicate else [])),
        )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        facility = cleaned.get("facility") or getattr(self.instance, "facility", None)
        number = cleaned.get("registration_number")
        if facility and number:
            taken = Inmate.objects.filter(facility=facility, registration_number=number)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "registration_number",
                    _("Nomor registrasi ini sudah dipakai WBP lain di UPT ini."),
                )
        return cleaned

    def model_data(self) -> dict[str, Any]:
        """Return the cleaned values of the model fields only."""
        return {name: self.cleaned_data[name] for name in INMATE_FIELDS}


class CaseArticleForm(forms.ModelForm):
    class Meta:
        model = CaseArticle
        fields = ["article", "paragraph", "letter", "junto"]
        widgets = {
            "article": forms.TextInput(attrs={"size": 5, "placeholder": "127"}),
            "paragraph": forms.TextInput(attrs={"size": 4, "placeholder": "1"}),
            "letter": forms.TextInput(attrs={"size": 3, "placeholder": "a"}),
        }

    def clean_article(self) -> str:
        value = self.cleaned_data["article"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("Pasal harus berupa angka, misalnya 127."))
        return value


CaseArticleFormSet = inlineformset_factory(
    Inmate,
    CaseArticle,
    form=CaseArticleForm,
    extra=2,
    can_delete=True,
    max_num=settings.FORMSET_MAX_CASE_ARTICLES,
    absolute_max=settings.FORMSET_MAX_CASE_ARTICLES,
    validate_max=True,
)


class TableFormSetHelper(FormHelper):
    """Lay a formset out as one table, a row per form (case articles, assessment rows)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_tag = False
        self.disable_csrf = True
        self.template = "bootstrap5/table_inline_formset.html"


def article_rows(formset: Any) -> list[dict[str, Any]]:
    """Return the kept article rows of a valid formset, in order."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("article"):
            continue
        rows.append({k: data[k] for k in ("article", "paragraph", "letter", "junto")})
    return rows


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=settings.SEARCH_MAX_CHARS,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Nama, alias, nomor registrasi atau NIK"),
                "autofocus": True,
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *CustodyStatus.choices],
    )
    register_class = forms.ChoiceField(
        label=_("Kategori register"),
        required=False,
        choices=[("", _("Semua kategori")), *RegisterClass.choices],
    )
    block = forms.CharField(label=_("Blok"), required=False, max_length=30)
    facility = forms.ModelChoiceField(
        label=_("UPT"), required=False, queryset=Facility.objects.none(), empty_label=_("Semua UPT")
    )

    def __init__(
        self,
        *args: Any,
        facilities: QuerySet[Facility],
        extra_filters: Sequence[Shown] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
        columns = [
            Column("q", css_class="col-md-6 col-lg-3"),
            Column("status", css_class="col-6 col-md-6 col-lg-3"),
            Column("register_class", css_class="col-md-6 col-lg-4"),
        ]
        # Filters other apps add (assessments: the tier), for users who may see the value.
        for shown in extra_filters:
            if shown.column.choices:
                self.fields[shown.name] = forms.ChoiceField(
                    label=shown.label,
                    required=False,
                    choices=[("", _("Semua")), *shown.column.choices],
                )
                columns.append(Column(shown.name, css_class="col-6 col-md-3 col-lg-2"))
        columns.append(Column("block", css_class="col-4 col-md-3 col-lg-1"))
        if len(facilities) < 2:
            del self.fields["facility"]
        else:
            columns.append(Column("facility", css_class="col-8 col-md-4 col-lg-2"))
        url = reverse("inmates:list")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = url
        self.helper.form_class = "mb-2"
        self.helper.attrs = {
            "role": "search",
            "hx-get": url,
            "hx-target": "#results",
            "hx-push-url": "true",
            "hx-trigger": "input changed delay:300ms from:#id_q, change from:select, submit",
            "hx-indicator": "#searching",
        }
        self.helper.layout = Layout(
            Row(
                *columns,
                Column(
                    HTML(
                        '{% load i18n %}<button class="btn btn-outline-secondary">'
                        '{% translate "Cari" %}</button>'
                    ),
                    css_class="col-auto align-self-end mb-3",
                ),
            )
        )


def filter_summary(form: forms.Form) -> str:
    """Say in words which filters a valid list form applied, for a printed or exported list."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(cast(Any, field.choices)).get(value, value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts)


class TransferDestination(models.TextChoices):
    REHAB = "rehab", _("UPT yang memakai rehab (menunggu penerimaan)")
    OUTSIDE = (
        "outside",
        _("UPT di luar rehab (episode di sini berakhir, dengan berkas serah terima)"),
    )


class TransferForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("Tujuan"),
        choices=TransferDestination.choices,
        initial=TransferDestination.REHAB,
        widget=forms.RadioSelect,
        required=False,
    )
    to_facility = forms.ModelChoiceField(
        label=_("UPT tujuan"), queryset=Facility.objects.none(), required=False
    )
    upt_name = forms.CharField(
        label=_("Nama UPT tujuan di luar rehab"),
        max_length=150,
        required=False,
        help_text=_("Contoh: Lapas Kelas IIA Balikpapan."),
    )
    upt_town = forms.CharField(label=_("Kota/kabupaten UPT tujuan"), max_length=100, required=False)
    upt_address = forms.CharField(label=_("Alamat UPT tujuan"), max_length=255, required=False)
    on = DayFirstDateField(label=_("Tanggal pindah"), widget=DateInput())
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=settings.TEXT_MAX_SHORT,
    )
    letter_number = forms.CharField(
        label=_("Nomor surat pemindahan"),
        help_text=_("Surat pengadilan atau Ditjenpas, bila ada."),
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, inmate: Inmate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inmate = inmate
        destinations = Facility.objects.filter(active=True).exclude(pk=inmate.facility_id)
        cast(forms.ModelChoiceField, self.fields["to_facility"]).queryset = destinations
        self.fields["on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Catat pemindahan"), css_class="btn-warning"))

    def clean_on(self) -> Any:
        on = not_in_future(self.cleaned_data["on"], _("Tanggal pindah tidak boleh di masa depan."))
        if on < self.inmate.admission_date:
            raise forms.ValidationError(_("Tanggal pindah sebelum tanggal masuk."))
        return on

    @property
    def outside(self) -> bool:
        return self.cleaned_data.get("destination") == TransferDestination.OUTSIDE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if "destination" in self.errors:
            return cleaned
        if not self.outside:
            # An unknown UPT (a choice not in the list) is refused by the field itself.
            if not cleaned.get("to_facility") and "to_facility" not in self.errors:
                self.add_error("to_facility", _("Pilih UPT tujuan."))
            return cleaned
        problem = services.outside_destination_problem(
            cleaned.get("upt_name", ""), self.inmate.facility
        )
        if problem:
            self.add_error("upt_name", problem)
        if not cleaned.get("upt_town", "").strip():
            self.add_error("upt_town", _("Tuliskan kota atau kabupaten UPT tujuan."))
        return cleaned


class ReleaseForm(forms.Form):
    on = DayFirstDateField(label=_("Tanggal bebas"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Jenis pembebasan"), choices=ReleaseKind.choices)
    reason = forms.CharField(
        label=_("Keterangan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=True,
        max_length=settings.TEXT_MAX_SHORT,
    )

    def __init__(self, *args: Any, inmate: Inmate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inmate = inmate
        self.fields["on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Catat pembebasan"), css_class="btn-danger"))

    def clean_on(self) -> Any:
        on = not_in_future(self.cleaned_data["on"], _("Tanggal bebas tidak boleh di masa depan."))
        if on < self.inmate.admission_date:
            raise forms.ValidationError(_("Tanggal bebas tidak boleh sebelum tanggal masuk."))
        return on


class ImportForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Berkas ekspor SDP (CSV atau XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, facilities: QuerySet[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Unggah dan periksa")))
        self.content = b""

    def clean_file(self) -> Any:
        """Refuse, beside the field, a file too large or one that is not an SDP export."""
        upload = self.cleaned_data["file"]
        if isinstance(upload, RefusedUpload) or upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar: paling besar %(limit)d MB.")
                % {"limit": settings.REHAB_MAX_UPLOAD_MB}
            )
        content = upload.read()
        # Rows with mistakes are listed on the preview; a file that is not an export at all
        # (or breaks a limit) is refused here, before anything is stored.
        try:
            sdp.read_rows(upload.name or "", content)
        except sdp.FileError as error:
            raise forms.ValidationError(error.message) from None
        self.content = content
        return upload


class TransferAcceptForm(forms.Form):
    """The destination's registration of a WBP handed over from another UPT."""

    registration_number = forms.CharField(label=_("Nomor registrasi di UPT ini"), max_length=40)
    block = forms.CharField(label=_("Blok"), max_length=30, required=False)
    cell = forms.CharField(label=_("Kamar"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("registration_number", css_class="col-md-6"),
                Column("block", css_class="col-md-3"),
                Column("cell", css_class="col-md-3"),
            )
        )
        self.helper.add_input(Submit("accept", _("Terima WBP"), css_class="btn-primary"))


class TransferRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=255
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(
            Submit("refuse", _("Tolak pemindahan"), css_class="btn-outline-danger")
        )
