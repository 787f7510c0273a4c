"""Forms for ASSIST screening, urine tests, health screening and the assessment."""

from __future__ import annotations

import re
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import scoring
from assessments.models import (
    PANEL_ANALYTES,
    Analyte,
    Assessment,
    AssistScreening,
    CorrectionState,
    DiagnosisSystem,
    Domain,
    DomainRating,
    HealthScreening,
    Injection,
    InjectionPattern,
    PlanItem,
    ReferencePeriod,
    ScreenResult,
    Substance,
    SubstanceUse,
    TestResult,
    Tier,
    UrinePanel,
    UrineResult,
    UrineTest,
)
from inmates.forms import DateInput, DayFirstDateField, not_in_future
from inmates.models import Inmate
from rehab.formats import short_date
from rehab.forms import Conflict, VersionedForm, bounded_text

# Answers are the words of the Indonesian ASSIST form, without the scores (those are worked out
# on the result sheet). From the keyboard the interviewer still types a digit: its position in
# the list, 0 for the first answer (static/js/assist.js).
Q1_CHOICES = [("", "—"), ("no", _("Tidak")), ("yes", _("Ya"))]
FREQUENCY_CHOICES = [
    ("", "—"),
    ("never", _("Tidak pernah")),
    ("once_or_twice", _("Satu atau dua kali")),
    ("monthly", _("Tiap bulan")),
    ("weekly", _("Tiap minggu")),
    ("daily", _("Harian atau hampir tiap hari")),
]
EVER_CHOICES = [
    ("", "—"),
    ("no", _("Tidak, tidak pernah")),
    ("past_3_months", _("Ya, dalam 3 bulan terakhir")),
    ("not_past_3_months", _("Ya, tetapi tidak dalam 3 bulan terakhir")),
]
# The questions as the interviewer reads them (WHO ASSIST v3.1, Indonesian form) ...
QUESTION_TEXT = {
    "q1": _(
        "Q1. Sepanjang hidup anda, zat mana saja yang pernah anda pakai? "
        "(hanya pemakaian non-medis)"
    ),
    "q2": _("Q2. Dalam tiga bulan terakhir, seberapa sering anda memakai zat yang anda sebutkan?"),
    "q3": _(
        "Q3. Dalam tiga bulan terakhir, seberapa sering anda mempunyai keinginan yang kuat "
        "atau dorongan untuk memakai?"
    ),
    "q4": _(
        "Q4. Dalam tiga bulan terakhir, seberapa sering pemakaian anda menimbulkan masalah "
        "kesehatan, sosial, hukum atau keuangan?"
    ),
    "q5": _(
        "Q5. Dalam tiga bulan terakhir, seberapa sering anda gagal melakukan hal yang biasanya "
        "diharapkan dari anda karena pemakaian anda?"
    ),
    "q6": _(
        "Q6. Apakah teman, kerabat atau orang lain pernah menyatakan kekhawatiran tentang "
        "pemakaian anda?"
    ),
    "q7": _(
        "Q7. Apakah anda pernah mencoba mengendalikan, mengurangi atau menghentikan pemakaian, "
        "tetapi gagal?"
    ),
}
# ... and as the column heads of the grid say them.
QUESTION_LABELS = {
    "q1": _("Q1 · Pernah memakai (seumur hidup, non-medis)"),
    "q2": _("Q2 · Seberapa sering memakai (3 bulan)"),
    "q3": _("Q3 · Keinginan kuat atau dorongan untuk memakai"),
    "q4": _("Q4 · Menimbulkan masalah kesehatan, sosial, hukum atau keuangan"),
    "q5": _("Q5 · Gagal melakukan hal yang biasanya diharapkan"),
    "q6": _("Q6 · Teman, kerabat atau orang lain pernah khawatir"),
    "q7": _("Q7 · Pernah mencoba mengendalikan, mengurangi atau berhenti, tetapi gagal"),
}
LEVEL_FEEDBACK = {
    "low": _("Risiko rendah: tidak perlu intervensi; berikan saran kesehatan umum."),
    "moderate": _("Risiko sedang: berikan intervensi singkat dan materi bawa pulang."),
    "high": _("Risiko tinggi: intervensi singkat dan rujukan untuk asesmen serta terapi lanjutan."),
}


def _choices(question: str) -> list[tuple[str, Any]]:
    if question == "q1":
        return Q1_CHOICES
    if question in ("q6", "q7"):
        return EVER_CHOICES
    return FREQUENCY_CHOICES


def answer_field(substance: str, question: str) -> str:
    return f"{substance}_{question}"


class AssistForm(forms.Form):
    """The whole interview on one page: Q1-Q7 for ten substances, Q8, the reference period."""

    interviewed_on = forms.DateField(label=_("Tanggal wawancara"), widget=DateInput())
    reference_period = forms.ChoiceField(
        label=_("Periode acuan"),
        choices=ReferencePeriod.choices,
        initial=ReferencePeriod.LAST_3_MONTHS,
        help_text=_(
            "Untuk WBP yang sudah lebih dari 3 bulan ditahan, tanyakan 3 bulan sebelum ditahan."
        ),
    )
    other_substance = forms.CharField(label=_("Zat lain, sebutkan"), required=False, max_length=100)
    injection = forms.ChoiceField(
        label=_(
            "Q8. Apakah anda pernah memakai zat apa pun dengan cara disuntik? "
            "(hanya pemakaian non-medis)"
        ),
        choices=EVER_CHOICES,
    )
    injection_pattern = forms.ChoiceField(
        label=_("Pola menyuntik dalam 3 bulan terakhir"),
        choices=[
            ("", "—"),
            (
                InjectionPattern.WEEKLY_OR_LESS,
                InjectionPattern.WEEKLY_OR_LESS.label,
            ),
            (
                InjectionPattern.MORE_THAN_WEEKLY,
                InjectionPattern.MORE_THAN_WEEKLY.label,
            ),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interviewed_on"].initial = timezone.localdate()
        for substance in scoring.SUBSTANCES:
            for question in scoring.QUESTIONS:
                if substance == "tobacco" and question == "q5":
                    continue  # not asked for tobacco on the v3.1 form
                self.fields[answer_field(substance, question)] = forms.ChoiceField(
                    label=f"{Substance(substance).label} · {QUESTION_TEXT[question]}",
                    choices=_choices(question),
                    required=False,
                    widget=forms.Select(attrs={"data-q": question, "data-substance": substance}),
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_labels = True
        self.helper.layout = Layout(
            Row(
                Column("interviewed_on", css_class="col-md-3"),
                Column("reference_period", css_class="col-md-5"),
            )
        )
        self.cell_helper = FormHelper()
        self.cell_helper.form_tag = False
        self.cell_helper.disable_csrf = True
        self.cell_helper.form_show_labels = False

    def rows(self) -> list[dict[str, Any]]:
        """The grid for the template: one row per substance, a bound field per question."""
        rows = []
        for substance in scoring.SUBSTANCES:
            cells = [
                self[answer_field(substance, q)]
                if answer_field(substance, q) in self.fields
                else None
                for q in scoring.QUESTIONS
            ]
            rows.append(
                {
                    "substance": substance,
                    "label": Substance(substance).label,
                    "cells": cells,
                    # Each box with its question, captioned when the grid stacks on a tablet.
                    "questions": [
                        (QUESTION_LABELS[q], cell)
                        for q, cell in zip(scoring.QUESTIONS, cells, strict=True)
                    ],
                }
            )
        return rows

    def answers(self) -> dict[str, dict[str, str]]:
        """Return {substance: {question: code}} with skipped questions left out."""
        data = self.cleaned_data
        return {
            substance: {
                q: data[answer_field(substance, q)]
                for q in scoring.QUESTIONS
                if data.get(answer_field(substance, q))
            }
            for substance in scoring.SUBSTANCES
        }

    def clean_interviewed_on(self) -> Any:
        return not_in_future(
            self.cleaned_data["interviewed_on"], _("Tanggal wawancara tidak boleh di masa depan.")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for substance in scoring.SUBSTANCES:
            self._check_skip_logic(substance, cleaned)
        if cleaned.get("injection") == Injection.PAST_3_MONTHS and not cleaned.get(
            "injection_pattern"
        ):
            self.add_error("injection_pattern", _("Pilih pola menyuntik dalam 3 bulan terakhir."))
        if cleaned.get("injection") != Injection.PAST_3_MONTHS and cleaned.get("injection_pattern"):
            self.add_error(
                "injection_pattern", _("Hanya diisi bila menyuntik dalam 3 bulan terakhir.")
            )
        if cleaned.get(answer_field("other", "q1")) == "yes" and not cleaned.get("other_substance"):
            self.add_error("other_substance", _("Sebutkan zat lain yang pernah dipakai."))
        return cleaned

    def _check_skip_logic(self, substance: str, cleaned: dict[str, Any]) -> None:
        """Every question that applies is answered; none that does not apply is."""
        given = {
            q: cleaned.get(answer_field(substance, q))
            for q in scoring.QUESTIONS
            if answer_field(substance, q) in self.fields
        }
        if not given.get("q1"):
            if substance != "other" or any(given.values()):
                self.add_error(answer_field(substance, "q1"), _("Wajib diisi."))
            return
        applies = scoring.questions_that_apply(substance, {k: v for k, v in given.items() if v})
        for question, value in given.items():
            if question == "q1":
                continue
            if value and question not in applies:
                self.add_error(
                    answer_field(substance, question),
                    _("Tidak berlaku: pertanyaan ini dilewati menurut jawaban Q1/Q2."),
                )
            elif not value and question in applies:
                self.add_error(answer_field(substance, question), _("Wajib diisi."))


class UrineTestForm(forms.Form):
    """A rapid test: the panel decides which analytes are asked; each gets a result."""

    tested_on = forms.DateField(label=_("Tanggal tes"), widget=DateInput())
    panel = forms.ChoiceField(label=_("Panel"), choices=UrinePanel.choices, initial=UrinePanel.SIX)
    kit_lot = forms.CharField(label=_("Nomor lot kit"), required=False, max_length=50)
    confirmation_lab = forms.CharField(
        label=_("Laboratorium konfirmasi"),
        required=False,
        max_length=150,
        help_text=_("Wajib bila ada hasil positif: BNN, Puslabfor atau Labkesda."),
    )
    confirmation_result = forms.ChoiceField(
        label=_("Hasil konfirmasi"), required=False, choices=[("", "—"), *TestResult.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tested_on"].initial = timezone.localdate()
        for analyte in Analyte:
            self.fields[f"result_{analyte.value}"] = forms.ChoiceField(
                label=analyte.label, required=False, choices=[("", "—"), *TestResult.choices]
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan hasil tes")))
        self.helper.layout = Layout(
            Row(
                Column("tested_on", css_class="col-md-4 col-xl-3"),
                Column("panel", css_class="col-md-8 col-xl-6"),
                Column("kit_lot", css_class="col-md-6 col-xl-3"),
            ),
            Row(*(Column(f"result_{a.value}", css_class="col-6 col-md-3") for a in Analyte)),
            Row(
                Column("confirmation_lab", css_class="col-md-8"),
                Column("confirmation_result", css_class="col-md-4"),
            ),
        )

    def results(self) -> dict[str, str]:
        return {a.value: self.cleaned_data.get(f"result_{a.value}", "") for a in Analyte}

    def clean_tested_on(self) -> Any:
        return not_in_future(
            self.cleaned_data["tested_on"], _("Tanggal tes tidak boleh di masa depan.")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        required = PANEL_ANALYTES.get(cleaned.get("panel", ""), [])
        for analyte in required:
            if not cleaned.get(f"result_{analyte}"):
                self.add_error(f"result_{analyte}", _("Wajib diisi untuk panel ini."))
        results = [cleaned.get(f"result_{a.value}") for a in Analyte]
        if not any(results):
            self.add_error(None, _("Isi hasil paling sedikit satu parameter."))
        if TestResult.POSITIVE in results and not cleaned.get("confirmation_lab"):
            self.add_error(
                "confirmation_lab", _("Hasil positif harus dikirim ke laboratorium konfirmasi.")
            )
        if cleaned.get("confirmation_result") and not cleaned.get("confirmation_lab"):
            self.add_error("confirmation_lab", _("Sebutkan laboratorium yang mengonfirmasi."))
        return cleaned


class HealthScreeningForm(forms.ModelForm):
    class Meta:
        model = HealthScreening
        formfield_callback = bounded_text
        fields = [
            "screened_on", "consent_given", "hiv", "tb_symptoms", "tb_xray", "tb_tcm",
            "hepatitis_b", "hepatitis_c", "syphilis", "referred_to", "notes",
        ]  # fmt: skip
        widgets = {
            "screened_on": DateInput(),
            "tb_symptoms": forms.NullBooleanSelect(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["screened_on"].initial = timezone.localdate()
        self.fields["consent_given"].required = True
        self.fields["consent_given"].error_messages["required"] = _(
            "Pemeriksaan hanya boleh dicatat dengan persetujuan (informed consent) WBP."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan hasil pemeriksaan")))
        self.helper.layout = Layout(
            Row(
                Column("screened_on", css_class="col-md-3"),
                Column("consent_given", css_class="col-md-9 pt-md-4"),
            ),
            Row(
                Column("hiv", css_class="col-md-4"),
                Column("syphilis", css_class="col-md-4"),
                Column("tb_symptoms", css_class="col-md-4"),
            ),
            Row(
                Column("tb_xray", css_class="col-md-4"),
                Column("tb_tcm", css_class="col-md-4"),
            ),
            Row(
                Column("hepatitis_b", css_class="col-md-4"),
                Column("hepatitis_c", css_class="col-md-4"),
            ),
            "referred_to",
            "notes",
        )

    def clean_screened_on(self) -> Any:
        return not_in_future(
            self.cleaned_data["screened_on"], _("Tanggal pemeriksaan tidak boleh di masa depan.")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        check_health_results(self, cleaned)
        return cleaned


def check_health_results(form: forms.BaseForm, cleaned: dict[str, Any]) -> None:
    """At least one examination has a result, and a reactive one names where it was referred."""
    checked = [cleaned.get(f) for f in HealthScreening.RESULT_FIELDS]
    if all(value in (None, "") for value in checked):
        form.add_error(None, _("Isi hasil paling sedikit satu pemeriksaan."))
    reactive = any(value == ScreenResult.REACTIVE for value in checked) or cleaned.get(
        "tb_symptoms"
    )
    if reactive and not cleaned.get("referred_to"):
        form.add_error(
            "referred_to",
            _("Hasil reaktif atau gejala TB harus dirujuk: sebutkan tujuan rujukan."),
        )


ICD10_PATTERN = re.compile(r"^F1[0-9]\.[0-9][0-9]?$")
RATING_04 = [("", "—"), *((str(n), str(n)) for n in range(5))]
RATING_09 = [("", "—"), *((str(n), str(n)) for n in range(10))]


class ScreeningChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("ASSIST %(date)s · %(substance)s: %(level)s") % {
            "date": short_date(obj.interviewed_on),
            "substance": obj.get_main_substance_display() or "—",
            "level": obj.get_main_level_display(),
        }


class AssessmentForm(VersionedForm, forms.ModelForm):
    screening = ScreeningChoiceField(
        label=_("Skrining ASSIST acuan"), queryset=AssistScreening.objects.none(), required=False
    )

    class Meta:
        model = Assessment
        formfield_callback = bounded_text
        fields = [
            "assessed_on", "screening", "diagnosis_system", "diagnosis_code", "dsm5_severity",
            "comorbidity", "final_tier", "tier_reason",
        ]  # fmt: skip
        widgets = {
            "assessed_on": DateInput(),
            "tier_reason": forms.Textarea(attrs={"rows": 2}),
            "diagnosis_code": forms.TextInput(attrs={"placeholder": "F15.2"}),
        }

    def __init__(self, *args: Any, inmate: Inmate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inmate = inmate
        screening_field = cast(forms.ModelChoiceField, self.fields["screening"])
        screening_field.queryset = AssistScreening.objects.filter(inmate=inmate)
        if not self.instance.pk:
            self.fields["assessed_on"].initial = timezone.localdate()
            self.fields["screening"].initial = screening_field.queryset.order_by(
                "-interviewed_on", "-id"
            ).first()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("assessed_on", css_class="col-md-3"),
                Column("screening", css_class="col-md-9"),
            ),
            Row(
                Column("diagnosis_system", css_class="col-md-4"),
                Column("diagnosis_code", css_class="col-md-3"),
                Column("dsm5_severity", css_class="col-md-5"),
            ),
            "comorbidity",
            Row(
                Column("final_tier", css_class="col-md-4"),
                Column("tier_reason", css_class="col-md-8"),
            ),
            *self.version_slot(),
        )

    def suggested_tier(self) -> str:
        screening = self.cleaned_data.get("screening")
        if screening is None or not screening.main_substance:
            return ""
        return scoring.suggested_tier(
            screening.main_level, injects_high_risk=screening.injects_high_risk
        )

    def clean_assessed_on(self) -> Any:
        return not_in_future(
            self.cleaned_data["assessed_on"], _("Tanggal asesmen tidak boleh di masa depan.")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        system, code = (
            cleaned.get("diagnosis_system"),
            cleaned.get("diagnosis_code", "").strip().upper(),
        )
        cleaned["diagnosis_code"] = code
        if system == DiagnosisSystem.ICD10 and code and not ICD10_PATTERN.match(code):
            self.add_error(
                "diagnosis_code",
                _(
                    "Kode ICD-10 gangguan penggunaan zat ditulis F10.x sampai F19.x, "
                    "misalnya F15.2."
                ),
            )
        if system == DiagnosisSystem.DSM5 and not cleaned.get("dsm5_severity"):
            self.add_error("dsm5_severity", _("Pilih derajat DSM-5."))
        suggested = self.suggested_tier()
        final = cleaned.get("final_tier")
        if (
            suggested
            and final
            and final != suggested
            and not cleaned.get("tier_reason", "").strip()
        ):
            self.add_error(
                "tier_reason",
                _("Tingkat berbeda dari saran skrining (%(tier)s): tuliskan alasannya.")
                % {"tier": Tier(suggested).label},
            )
        return cleaned

    def model_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DomainForm(forms.ModelForm):
    client_trouble = forms.TypedChoiceField(
        label=_("Terganggu (0-4)"), choices=RATING_04, coerce=int, empty_value=None, required=False
    )
    client_need = forms.TypedChoiceField(
        label=_("Butuh bantuan (0-4)"),
        choices=RATING_04,
        coerce=int,
        empty_value=None,
        required=False,
    )
    severity = forms.TypedChoiceField(
        label=_("Keparahan (0-9)"), choices=RATING_09, coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = DomainRating
        formfield_callback = bounded_text
        fields = ["domain", "narrative", "client_trouble", "client_need", "severity"]
        widgets = {"domain": forms.HiddenInput, "narrative": forms.Textarea(attrs={"rows": 2})}


class SubstanceUseForm(forms.ModelForm):
    class Meta:
        model = SubstanceUse
        fields = ["substance", "age_first_use", "route", "years_used", "last_use"]
        widgets = {"last_use": DateInput()}

    def clean_last_use(self) -> Any:
        return not_in_future(
            self.cleaned_data.get("last_use"),
            _("Tanggal terakhir pakai tidak boleh di masa depan."),
        )


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["intervention", "details"]


# Each formset builds at most its max_num forms, whatever TOTAL_FORMS claims; more is refused.
DomainFormSet = forms.formset_factory(
    DomainForm, extra=0, max_num=len(Domain), absolute_max=len(Domain), validate_max=True
)
SubstanceUseFormSet = forms.formset_factory(
    SubstanceUseForm,
    extra=2,
    can_delete=True,
    max_num=settings.FORMSET_MAX_SUBSTANCES,
    absolute_max=settings.FORMSET_MAX_SUBSTANCES,
    validate_max=True,
)
PlanItemFormSet = forms.formset_factory(
    PlanItemForm,
    extra=3,
    can_delete=True,
    max_num=settings.FORMSET_MAX_PLAN_ITEMS,
    absolute_max=settings.FORMSET_MAX_PLAN_ITEMS,
    validate_max=True,
)


def domain_initial(assessment: Assessment | None) -> list[dict[str, Any]]:
    """One row per ASI domain, with what the assessment already holds."""
    held = {d.domain: d for d in assessment.domains.all()} if assessment else {}
    rows = []
    for domain in Domain:
        row = held.get(domain.value)
        rows.append(
            {"domain": domain.value}
            if row is None
            else {
                f: getattr(row, f)
                for f in ("domain", "narrative", "client_trouble", "client_need", "severity")
            }
        )
    return rows


def kept_rows(formset: Any, required: str) -> list[dict[str, Any]]:
    """The filled, undeleted rows of a valid formset, as model field values."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get(required)
    ]


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=settings.TEXT_MAX_SHORT,
        help_text=_("Versi yang sudah ditandatangani tetap tersimpan dan terlihat."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Buat versi koreksi")))


# --- corrections -----------------------------------------------------------------------------


def reason_field(label: Any = None, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label or _("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=settings.TEXT_MAX_SHORT,
        error_messages={"required": _("Tuliskan alasannya.")},
        **kwargs,
    )


class UrineCorrectionForm(VersionedForm, forms.Form):
    """Ask for a correction of one analyte's result; another user confirms it."""

    analyte = forms.ChoiceField(label=_("Parameter"))
    new_result = forms.ChoiceField(
        label=_("Hasil yang benar"), choices=[("", "—"), *TestResult.choices]
    )
    reason = reason_field(
        help_text=_(
            "Hasil yang tercatat tetap berlaku sampai petugas lain mengonfirmasi koreksi ini."
        )
    )

    def __init__(
        self, *args: Any, record: UrineTest, results: list[UrineResult], **kwargs: Any
    ) -> None:
        super().__init__(*args, record=record, **kwargs)
        self.results = {r.analyte: r for r in results}
        analyte = cast(forms.ChoiceField, self.fields["analyte"])
        analyte.choices = [
            ("", "—"),
            *(
                (r.analyte, f"{r.get_analyte_display()} · {r.get_result_display()}")
                for r in results
            ),
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Ajukan koreksi")))
        self.helper.layout = Layout(
            Row(
                Column("analyte", css_class="col-md-6"),
                Column("new_result", css_class="col-md-6"),
            ),
            "reason",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        result = self.results.get(cleaned.get("analyte", ""))
        if result is not None and cleaned.get("new_result") == result.result:
            self.add_error("new_result", _("Hasil koreksi sama dengan hasil yang tercatat."))
        if result is not None and any(
            c.state == CorrectionState.PENDING for c in result.corrections.all()
        ):
            self.add_error(
                "analyte",
                _("Parameter ini sudah punya koreksi yang menunggu konfirmasi: putuskan dulu."),
            )
        return cleaned


class UrineDecisionForm(VersionedForm, forms.Form):
    """Confirm a pending correction: the form carries the version of the test page."""

    def __init__(self, *args: Any, record: UrineTest, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class UrineRefusalForm(VersionedForm, forms.Form):
    reason = reason_field(_("Alasan penolakan"))

    def __init__(self, *args: Any, record: UrineTest, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Tolak koreksi"), css_class="btn-danger"))
        self.helper.layout = Layout("reason", *self.version_slot())


class HealthCorrectionForm(VersionedForm, forms.ModelForm):
    """Correct the results of a health screening (health workers only), with the reason."""

    reason = reason_field()

    class Meta:
        model = HealthScreening
        formfield_callback = bounded_text
        fields = [
            "hiv", "tb_symptoms", "tb_xray", "tb_tcm", "hepatitis_b", "hepatitis_c", "syphilis",
            "referred_to", "notes",
        ]  # fmt: skip
        widgets = {
            "tb_symptoms": forms.NullBooleanSelect(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan koreksi")))
        self.helper.layout = Layout(
            Row(
                Column("hiv", css_class="col-md-4"),
                Column("syphilis", css_class="col-md-4"),
                Column("tb_symptoms", css_class="col-md-4"),
            ),
            Row(
                Column("tb_xray", css_class="col-md-4"),
                Column("tb_tcm", css_class="col-md-4"),
            ),
            Row(
                Column("hepatitis_b", css_class="col-md-4"),
                Column("hepatitis_c", css_class="col-md-4"),
            ),
            "referred_to",
            "notes",
            "reason",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        check_health_results(self, cleaned)
        return cleaned

    def corrected(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewMoveForm(forms.Form):
    """Move one open re-assessment of a WBP to another day, with the reason.

    `shown` is the date the form was opened at: the service refuses the move when someone
    else moved it since (a due date has no version column of its own)."""

    moved_to = DayFirstDateField(label=_("Tanggal baru"), widget=DateInput())
    reason = reason_field(_("Alasan"))
    shown = DayFirstDateField(widget=forms.HiddenInput)

    conflict: Conflict | None = None

    def __init__(self, *args: Any, review: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shown"].initial = review.due_on
        self.fields["shown"].error_messages["required"] = _("Muat ulang halaman, lalu isi lagi.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Geser tanggal")))
        self.helper.layout = Layout(
            Row(Column("moved_to", css_class="col-md-4")), "reason", "shown"
        )

    def mark_conflict(self, current: Any) -> None:
        """Refuse a move over a newer one: keep what was typed, carry the date stored now."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["shown"] = short_date(current.due_on)
        self.data = data
        self.conflict = Conflict(
            message=str(
                _(
                    "Tanggal asesmen ulang ini sudah diubah sesudah Anda membuka halaman. "
                    "Isian Anda belum disimpan: periksa tanggal sekarang, lalu simpan lagi."
                )
            ),
            saved=[(str(_("Tanggal sekarang")), short_date(current.due_on))],
        )
