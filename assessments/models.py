"""Screening and assessment: ASSIST v3.1, urine tests, health screening, ASI-based assessment,
the tier decision and the assessors' credentials."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import scoring
from inmates.models import Inmate
from rehab.formats import short_date
from rehab.models import Agency, Facility


class Substance(models.TextChoices):
    TOBACCO = "tobacco", _("Tembakau (rokok, cerutu, kretek, dll.)")
    ALCOHOL = "alcohol", _("Minuman beralkohol (bir, anggur, miras, dll.)")
    CANNABIS = "cannabis", _("Kanabis (marijuana, ganja, gelek, cimeng, dll.)")
    COCAINE = "cocaine", _("Kokain (coke, crack, dll.)")
    AMPHETAMINES = "amphetamines", _("Stimulan jenis amfetamin (sabu, ekstasi, dll.)")
    INHALANTS = "inhalants", _("Inhalansia (lem, bensin, tiner, dll.)")
    SEDATIVES = (
        "sedatives",
        _(
            "Sedativa atau obat tidur (benzodiazepin, Lexotan, Rohypnol, Mogadon, BK, alprazolam, "
            "pil koplo, dll.)"
        ),
    )
    HALLUCINOGENS = "hallucinogens", _("Halusinogen (LSD, jamur, kecubung, dll.)")
    OPIOIDS = (
        "opioids",
        _("Opioid (heroin, putaw, morfin, metadon, kodein, buprenorfin, tramadol, dll.)"),
    )
    OTHER = "other", _("Zat lain (dextro, CTM, LL, dll.)")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Risiko rendah")
    MODERATE = "moderate", _("Risiko sedang")
    HIGH = "high", _("Risiko tinggi")


class ReferencePeriod(models.TextChoices):
    LAST_3_MONTHS = "last_3_months", _("3 bulan terakhir")
    BEFORE_DETENTION = "before_detention", _("3 bulan sebelum ditahan")


class Injection(models.TextChoices):
    NO = "no", _("Tidak, tidak pernah")
    PAST_3_MONTHS = "past_3_months", _("Ya, dalam 3 bulan terakhir")
    NOT_PAST_3_MONTHS = "not_past_3_months", _("Ya, tetapi tidak dalam 3 bulan terakhir")


class InjectionPattern(models.TextChoices):
    WEEKLY_OR_LESS = (
        "weekly_or_less",
        _("Seminggu sekali atau kurang, atau kurang dari 3 hari berturut-turut"),
    )
    MORE_THAN_WEEKLY = (
        "more_than_weekly",
        _("Lebih dari seminggu sekali, atau 3 hari berturut-turut atau lebih"),
    )


class Tier(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class ScreeningQuerySet(models.QuerySet["AssistScreening"]):
    def latest_first(self) -> ScreeningQuerySet:
        return self.order_by("-interviewed_on", "-id")


class AssistScreening(models.Model):
    """One WHO ASSIST v3.1 interview: raw answers per substance, scores and bands kept."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="screenings", verbose_name=_("WBP")
    )
    interviewed_on = models.DateField(_("tanggal wawancara"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pewawancara"),
    )
    reference_period = models.CharField(
        _("periode acuan"),
        max_length=20,
        choices=ReferencePeriod.choices,
        default=ReferencePeriod.LAST_3_MONTHS,
    )
    other_substance = models.CharField(_("zat lain, sebutkan"), max_length=100, blank=True)
    injection = models.CharField(
        _("pernah menyuntik (Q8)"), max_length=20, choices=Injection.choices, default=Injection.NO
    )
    injection_pattern = models.CharField(
        _("pola menyuntik 3 bulan terakhir"),
        max_length=20,
        choices=InjectionPattern.choices,
        blank=True,
    )
    main_substance = models.CharField(
        _("zat utama"), max_length=15, choices=Substance.choices, blank=True
    )
    main_score = models.PositiveSmallIntegerField(_("skor zat utama"), default=0)
    main_level = models.CharField(
        _("tingkat risiko zat utama"),
        max_length=10,
        choices=RiskLevel.choices,
        default=RiskLevel.LOW,
    )
    # Tobacco's band when it scores above 0, blank when it is not used: tobacco is never the
    # main substance, so a WBP who only smokes is shown as "tobacco only", not as "no substance".
    tobacco_level = models.CharField(
        _("tingkat risiko tembakau"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("skrining ASSIST")
        verbose_name_plural = _("skrining ASSIST")
        ordering = ["-interviewed_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "interviewed_on"]),
            models.Index(fields=["inmate", "-interviewed_on"]),
        ]

    def __str__(self) -> str:
        return f"ASSIST {self.inmate.full_name} {short_date(self.interviewed_on)}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:screening_detail", args=[self.pk])

    @property
    def injects_recently(self) -> bool:
        return self.injection == Injection.PAST_3_MONTHS

    @property
    def injects_high_risk(self) -> bool:
        return scoring.injects_high_risk(self.injection, self.injection_pattern)


class SubstanceAnswer(models.Model):
    """The raw Q1-Q7 answers for one substance, with the score and band computed from them."""

    screening = models.ForeignKey(AssistScreening, on_delete=models.CASCADE, related_name="answers")
    substance = models.CharField(_("zat"), max_length=15, choices=Substance.choices)
    q1 = models.CharField(max_length=20, blank=True)
    q2 = models.CharField(max_length=20, blank=True)
    q3 = models.CharField(max_length=20, blank=True)
    q4 = models.CharField(max_length=20, blank=True)
    q5 = models.CharField(max_length=20, blank=True)
    q6 = models.CharField(max_length=20, blank=True)
    q7 = models.CharField(max_length=20, blank=True)
    score = models.PositiveSmallIntegerField(_("skor"), validators=[MaxValueValidator(39)])
    level = models.CharField(_("tingkat risiko"), max_length=10, choices=RiskLevel.choices)

    class Meta:
        verbose_name = _("jawaban per zat")
        verbose_name_plural = _("jawaban per zat")
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "substance"], name="answer_unique_substance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.substance}: {self.score}"

    def answers(self) -> dict[str, str]:
        """Return the answered questions as the scoring module reads them."""
        return {q: v for q in ("q1", "q2", "q3", "q4", "q5", "q6", "q7") if (v := getattr(self, q))}

    def rescore(self) -> None:
        self.score = scoring.substance_involvement_score(self.substance, self.answers())
        self.level = scoring.risk_level(self.substance, self.score)


class UrinePanel(models.TextChoices):
    SIX = "six", _("6 parameter (AMP, MET, THC, COC, MOP, BZO)")
    THREE = "three", _("3 parameter (AMP, THC, MOP)")
    CUSTOM = "custom", _("Lainnya")


class Analyte(models.TextChoices):
    AMP = "AMP", _("AMP (amfetamin)")
    MET = "MET", _("MET (metamfetamin)")
    THC = "THC", _("THC (ganja)")
    COC = "COC", _("COC (kokain)")
    MOP = "MOP", _("MOP/OPI (morfin/opiat)")
    BZO = "BZO", _("BZO (benzodiazepin)")
    MDMA = "MDMA", _("MDMA (ekstasi)")
    SOMA = "SOMA", _("Karisoprodol (SOMA)")


PANEL_ANALYTES = {
    UrinePanel.SIX: ["AMP", "MET", "THC", "COC", "MOP", "BZO"],
    UrinePanel.THREE: ["AMP", "THC", "MOP"],
}


class TestResult(models.TextChoices):
    NEGATIVE = "negative", _("Negatif")
    POSITIVE = "positive", _("Positif")
    INVALID = "invalid", _("Tidak valid")


class UrineTest(models.Model):
    """A rapid urine test: one result row per analyte, and a lab confirmation for positives."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="urine_tests", verbose_name=_("WBP")
    )
    tested_on = models.DateField(_("tanggal tes"))
    panel = models.CharField(
        _("panel"), max_length=10, choices=UrinePanel.choices, default=UrinePanel.SIX
    )
    kit_lot = models.CharField(_("nomor lot kit"), max_length=50, blank=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("petugas pengambil"),
    )
    confirmation_lab = models.CharField(_("laboratorium konfirmasi"), max_length=150, blank=True)
    confirmation_result = models.CharField(
        _("hasil konfirmasi"), max_length=10, choices=TestResult.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every correction step: a correction form opened before another step is stale.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tes urine")
        verbose_name_plural = _("tes urine")
        ordering = ["-tested_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "tested_on"]),
            models.Index(fields=["inmate", "-tested_on"]),
        ]

    def __str__(self) -> str:
        return _("Tes urine %(date)s") % {"date": short_date(self.tested_on)}

    def get_absolute_url(self) -> str:
        return reverse("assessments:urine_detail", args=[self.pk])


class UrineResult(models.Model):
    test = models.ForeignKey(UrineTest, on_delete=models.CASCADE, related_name="results")
    analyte = models.CharField(_("parameter"), max_length=5, choices=Analyte.choices)
    result = models.CharField(_("hasil"), max_length=10, choices=TestResult.choices)

    class Meta:
        verbose_name = _("hasil per parameter")
        verbose_name_plural = _("hasil per parameter")
        constraints = [
            models.UniqueConstraint(fields=["test", "analyte"], name="urine_unique_analyte")
        ]

    def __str__(self) -> str:
        return f"{self.analyte}: {self.result}"


class ScreenResult(models.TextChoices):
    NOT_DONE = "", _("Tidak diperiksa")
    NON_REACTIVE = "non_reactive", _("Non-reaktif / negatif")
    REACTIVE = "reactive", _("Reaktif / positif")
    INDETERMINATE = "indeterminate", _("Tidak tentu")


class HealthScreening(models.Model):
    """HIV, TB, hepatitis B and C and syphilis screening. Results: health and counselor only."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="health_screenings", verbose_name=_("WBP")
    )
    screened_on = models.DateField(_("tanggal pemeriksaan"))
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pemeriksa"),
    )
    consent_given = models.BooleanField(_("persetujuan (informed consent) diberikan"))
    hiv = models.CharField(_("HIV"), max_length=15, choices=ScreenResult.choices, blank=True)
    tb_symptoms = models.BooleanField(_("gejala TB"), null=True, blank=True)
    tb_xray = models.CharField(
        _("rontgen dada"), max_length=15, choices=ScreenResult.choices, blank=True
    )
    tb_tcm = models.CharField(
        _("TCM (GeneXpert)"), max_length=15, choices=ScreenResult.choices, blank=True
    )
    hepatitis_b = models.CharField(
        _("hepatitis B (HBsAg)"), max_length=15, choices=ScreenResult.choices, blank=True
    )
    hepatitis_c = models.CharField(
        _("hepatitis C (anti-HCV)"), max_length=15, choices=ScreenResult.choices, blank=True
    )
    syphilis = models.CharField(
        _("sifilis"), max_length=15, choices=ScreenResult.choices, blank=True
    )
    referred_to = models.CharField(_("dirujuk ke"), max_length=150, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every correction: a correction form opened before another one is stale.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    RESULT_FIELDS = [
        "hiv",
        "tb_symptoms",
        "tb_xray",
        "tb_tcm",
        "hepatitis_b",
        "hepatitis_c",
        "syphilis",
    ]

    class Meta:
        verbose_name = _("skrining kesehatan")
        verbose_name_plural = _("skrining kesehatan")
        ordering = ["-screened_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "screened_on"]),
            models.Index(fields=["inmate", "-screened_on"]),
        ]

    def __str__(self) -> str:
        return _("Skrining kesehatan %(date)s") % {"date": short_date(self.screened_on)}

    def get_absolute_url(self) -> str:
        return reverse("assessments:health_detail", args=[self.pk])

    @property
    def any_reactive(self) -> bool:
        positive = {ScreenResult.REACTIVE}
        return bool(self.tb_symptoms) or any(
            getattr(self, name) in positive for name in self.RESULT_FIELDS if name != "tb_symptoms"
        )


class AssessorCredential(models.Model):
    """A certificate that lets a user sign assessments until it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessor_credentials",
        verbose_name=_("asesor"),
    )
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100)
    issuing_body = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("penerbit")
    )
    issuing_body_name = models.CharField(_("nama penerbit"), max_length=150, blank=True)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"))

    class Meta:
        verbose_name = _("sertifikat asesor")
        verbose_name_plural = _("sertifikat asesor")
        ordering = ["-valid_until"]

    def __str__(self) -> str:
        return f"{self.certificate_number} ({self.user})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day <= self.valid_until


def has_valid_credential(user: Any, day: datetime.date | None = None) -> bool:
    """Tell whether the user holds an assessor certificate valid on the day."""
    day = day or timezone.localdate()
    return AssessorCredential.objects.filter(
        user_id=user.pk, valid_from__lte=day, valid_until__gte=day
    ).exists()


class Domain(models.TextChoices):
    MEDICAL = "medical", _("Status medis")
    EMPLOYMENT = "employment", _("Status pekerjaan/dukungan hidup")
    SUBSTANCE = "substance", _("Riwayat penggunaan napza")
    LEGAL = "legal", _("Status legal")
    FAMILY = "family", _("Riwayat keluarga/sosial")
    PSYCHIATRIC = "psychiatric", _("Status psikiatris")
    DEMOGRAPHIC = "demographic", _("Status demografi")


class DiagnosisSystem(models.TextChoices):
    ICD10 = "icd10", _("ICD-10 / PPDGJ-III")
    DSM5 = "dsm5", _("DSM-5")


class Dsm5Severity(models.TextChoices):
    MILD = "mild", _("Ringan (2-3 kriteria)")
    MODERATE = "moderate", _("Sedang (4-5 kriteria)")
    SEVERE = "severe", _("Berat (6 kriteria atau lebih)")


class Route(models.TextChoices):
    SMOKED = "smoked", _("Dihisap/dibakar")
    ORAL = "oral", _("Ditelan")
    SNORTED = "snorted", _("Dihirup lewat hidung")
    INHALED = "inhaled", _("Dihirup (uap/inhalan)")
    INJECTED = "injected", _("Disuntik")
    OTHER = "other", _("Lainnya")


class Intervention(models.TextChoices):
    EDUCATION = "education", _("Edukasi")
    BRIEF = "brief", _("Intervensi singkat")
    INDIVIDUAL = "individual", _("Konseling individu")
    GROUP = "group", _("Konseling kelompok")
    FAMILY = "family", _("Konseling keluarga")
    OUTPATIENT = "outpatient", _("Rawat jalan")
    INPATIENT = "inpatient", _("Rawat inap")
    DETOX = "detox", _("Detoksifikasi")
    MAINTENANCE = "maintenance", _("Terapi rumatan")
    SOCIAL = "social", _("Rehabilitasi sosial (TC)")
    REFERRAL = "referral", _("Rujukan (komorbiditas fisik/psikiatris)")
    PSYCHOLOGICAL = "psychological", _("Evaluasi psikologis")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SIGNED = "signed", _("Ditandatangani")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def current(self) -> AssessmentQuerySet:
        """Signed versions that no signed correction has replaced."""
        return self.filter(status=AssessmentStatus.SIGNED, superseded=False)

    def latest_per_inmate(self) -> AssessmentQuerySet:
        """The newest current assessment of each WBP: the one whose review dates count."""
        newer = Assessment.objects.current().filter(
            models.Q(assessed_on__gt=models.OuterRef("assessed_on"))
            | models.Q(assessed_on=models.OuterRef("assessed_on"), id__gt=models.OuterRef("id")),
            inmate_id=models.OuterRef("inmate_id"),
        )
        return self.current().exclude(models.Exists(newer))

    def newest_of_outer_inmate(self, field: str) -> models.Subquery:
        """The field of the newest current assessment of the outer query's WBP (a subquery)."""
        newest = self.current().filter(inmate_id=models.OuterRef("pk"))
        return models.Subquery(newest.order_by("-assessed_on", "-id").values(field)[:1])


class Assessment(models.Model):
    """An ASI-based assessment with the diagnosis and the tier decided by a certified assessor.

    Signing freezes it. A correction is a new version (amends) linked to the old one.
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("WBP")
    )
    assessed_on = models.DateField(_("tanggal asesmen"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asesor"),
    )
    screening = models.ForeignKey(
        AssistScreening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skrining ASSIST acuan"),
    )
    diagnosis_system = models.CharField(
        _("sistem diagnosis"),
        max_length=5,
        choices=DiagnosisSystem.choices,
        default=DiagnosisSystem.ICD10,
    )
    diagnosis_code = models.CharField(_("kode diagnosis"), max_length=10, blank=True)
    dsm5_severity = models.CharField(
        _("derajat DSM-5"), max_length=10, choices=Dsm5Severity.choices, blank=True
    )
    comorbidity = models.CharField(_("komorbiditas / diagnosis ganda"), max_length=255, blank=True)
    recommended_tier = models.CharField(
        _("tingkat yang disarankan skrining"), max_length=10, choices=Tier.choices, blank=True
    )
    final_tier = models.CharField(
        _("tingkat keparahan (keputusan asesor)"), max_length=10, choices=Tier.choices
    )
    tier_reason = models.TextField(_("alasan keputusan tingkat"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditandatangani oleh"),
    )
    signed_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)
    amends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        verbose_name=_("mengoreksi versi"),
    )
    amendment_reason = models.TextField(_("alasan koreksi"), blank=True)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    superseded = models.BooleanField(_("digantikan koreksi"), default=False)
    # Bumped on every save of a draft: a form posted against an older draft is a conflict.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # `version` numbers the signed versions (amendments); `revision` counts the saves of a draft.
    version_field = "revision"

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("asesmen")
        verbose_name_plural = _("asesmen")
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "assessed_on"]),
            models.Index(fields=["inmate", "-assessed_on"]),
        ]

    def __str__(self) -> str:
        return _("Asesmen %(name)s %(date)s v%(version)d") % {
            "name": self.inmate.full_name,
            "date": short_date(self.assessed_on),
            "version": self.version,
        }

    def get_absolute_url(self) -> str:
        return reverse("assessments:assessment_detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == AssessmentStatus.SIGNED

    @property
    def differs_from_screening(self) -> bool:
        return bool(self.recommended_tier) and self.final_tier != self.recommended_tier


class DomainRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=15, choices=Domain.choices)
    narrative = models.TextField(_("uraian"), blank=True)
    client_trouble = models.PositiveSmallIntegerField(
        _("seberapa terganggu (klien, 0-4)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(4)],
    )
    client_need = models.PositiveSmallIntegerField(
        _("seberapa butuh bantuan (klien, 0-4)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(4)],
    )
    severity = models.PositiveSmallIntegerField(
        _("keparahan (pewawancara, 0-9)"), null=True, blank=True, validators=[MaxValueValidator(9)]
    )

    class Meta:
        verbose_name = _("penilaian domain")
        verbose_name_plural = _("penilaian domain")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="domain_unique_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return self.get_domain_display()


class SubstanceUse(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="substance_uses"
    )
    substance = models.CharField(_("zat"), max_length=15, choices=Substance.choices)
    age_first_use = models.PositiveSmallIntegerField(
        _("usia pertama pakai"), null=True, blank=True, validators=[MaxValueValidator(90)]
    )
    route = models.CharField(_("cara pakai"), max_length=10, choices=Route.choices, blank=True)
    years_used = models.PositiveSmallIntegerField(
        _("lama pakai (tahun)"), null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    last_use = models.DateField(_("terakhir pakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("riwayat zat")
        verbose_name_plural = _("riwayat zat")

    def __str__(self) -> str:
        return self.get_substance_display()


class PlanItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plan_items")
    intervention = models.CharField(_("intervensi"), max_length=15, choices=Intervention.choices)
    details = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rencana terapi")
        verbose_name_plural = _("rencana terapi")

    def __str__(self) -> str:
        return self.get_intervention_display()


# --- corrections of results ------------------------------------------------------------------


class CorrectionState(models.TextChoices):
    PENDING = "pending", _("Menunggu konfirmasi")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    REFUSED = "refused", _("Ditolak")


class UrineCorrection(models.Model):
    """A correction of one analyte's result. It counts only once a second person confirms it;
    until then the recorded result stands. Each row is kept: the trail of the result."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    test = models.ForeignKey(UrineTest, on_delete=models.CASCADE, related_name="corrections")
    result = models.ForeignKey(UrineResult, on_delete=models.CASCADE, related_name="corrections")
    analyte = models.CharField(_("parameter"), max_length=5, choices=Analyte.choices)
    old_result = models.CharField(_("hasil semula"), max_length=10, choices=TestResult.choices)
    new_result = models.CharField(_("hasil koreksi"), max_length=10, choices=TestResult.choices)
    reason = models.TextField(_("alasan koreksi"))
    state = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionState.choices,
        default=CorrectionState.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    requested_at = models.DateTimeField(_("diajukan pada"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    refusal_reason = models.TextField(_("alasan penolakan"), blank=True)

    class Meta:
        verbose_name = _("koreksi hasil tes urine")
        verbose_name_plural = _("koreksi hasil tes urine")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["result"],
                condition=models.Q(state=CorrectionState.PENDING),
                name="urine_correction_one_pending_per_result",
            ),
            models.CheckConstraint(
                condition=~models.Q(old_result=models.F("new_result")),
                name="urine_correction_changes_the_result",
            ),
            models.CheckConstraint(
                condition=models.Q(state=CorrectionState.PENDING)
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="urine_correction_decided_by_someone",
            ),
            # Four eyes: whoever asked for a correction cannot make it count.
            models.CheckConstraint(
                condition=~models.Q(state=CorrectionState.CONFIRMED)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="urine_correction_confirmed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analyte}: {self.old_result} → {self.new_result}"

    @property
    def is_pending(self) -> bool:
        return self.state == CorrectionState.PENDING


class HealthCorrection(models.Model):
    """A correction of a health screening by a health worker: what changed (old, new), why."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    screening = models.ForeignKey(
        HealthScreening, on_delete=models.CASCADE, related_name="corrections"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    reason = models.TextField(_("alasan koreksi"))
    # {field: [old, new]} with the real values: this row is read on the result page only.
    changes = models.JSONField(_("perubahan"), default=dict)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("koreksi skrining kesehatan")
        verbose_name_plural = _("koreksi skrining kesehatan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return ", ".join(self.changes)


# --- re-assessment due dates -----------------------------------------------------------------


class ReviewKind(models.TextChoices):
    MID = "mid", _("Asesmen ulang tengah program")
    END = "end", _("Asesmen akhir program")
    URINE = "urine", _("Asesmen ulang sesudah tes urine positif")


class ReviewMove(models.Model):
    """A counsellor moved a computed re-assessment date, with the reason. The newest move of a
    due date counts; the date the rule gives stays beside it."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="review_moves", verbose_name=_("WBP")
    )
    # Which due date: the rule's kind and what it is counted from ("mid:e12", "urine:t5").
    key = models.CharField(_("asesmen ulang"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=10, choices=ReviewKind.choices)
    computed_on = models.DateField(_("tanggal menurut aturan"))
    moved_from = models.DateField(_("tanggal sebelumnya"))
    moved_to = models.DateField(_("tanggal baru"))
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("pergeseran asesmen ulang")
        verbose_name_plural = _("pergeseran asesmen ulang")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["inmate", "key"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.moved_from} → {self.moved_to}"
