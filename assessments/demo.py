"""Demo screenings, urine tests, health screenings and assessments for the demo WBP.

Used only by `manage.py seed_demo`, after the WBP exist. Every record goes through
assessments.services, so scores, bands, suggested tiers and audit entries are the ones the app
itself would write. Draws come from a fixed seed; dates are relative to today (never in the
future), so the demo always has re-assessments due this week and a few overdue.

What it shows, per demo Rutan: about 60% of the WBP in custody screened with ASSIST (sabu the
main drug of most, nearly everyone a smoker), urine tests for about 40% of them with a few
confirmed positives, health screening for about 30% of the WBP, signed assessments for about
half of the moderate and high screenings, a few drafts, and one signed correction.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from assessments import scoring, services
from assessments.models import (
    PANEL_ANALYTES,
    Assessment,
    AssessorCredential,
    AssistScreening,
    DiagnosisSystem,
    Domain,
    Dsm5Severity,
    Injection,
    InjectionPattern,
    Intervention,
    ReferencePeriod,
    Route,
    ScreenResult,
    TestResult,
    Tier,
    UrinePanel,
)
from inmates.models import Education, Inmate, RegisterClass, Sex
from rehab.models import Agency, Facility

if TYPE_CHECKING:
    from rehab.demo import DemoOrganisation

SCREENED_SHARE = 0.6  # of the WBP in custody
URINE_SHARE = 0.4  # of the screened
HEALTH_SHARE = 0.3  # of the WBP in custody
ASSESSED_SHARE = 0.5  # of the moderate and high screenings, signed
TIER_CHANGED_SHARE = 0.12  # the assessor decides another tier than the screening suggests

# Days from the assessment to the mid-programme and the final re-assessment, per tier.
REVIEW_DAYS = {Tier.RINGAN: (7, 15), Tier.SEDANG: (15, 30), Tier.BERAT: (30, 60)}

# How long ago the reference window may be "3 months before detention" instead of the last 3.
HELD_LONG_DAYS = 90


# --- Assessor credentials -------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialSpec:
    """One demo assessor certificate; days are relative to today (negative: in the past)."""

    username: str
    certificate_number: str
    issuing_body_name: str
    agency: str  # a demo agency's name, or "" for an issuer outside the demo
    valid_from_days: int
    valid_until_days: int


CREDENTIALS = [
    CredentialSpec(
        "konselor.grogot", "ASR/0317/BNN/2024", "BNN RI (Deputi Bidang Rehabilitasi)", "", -730, 365
    ),
    CredentialSpec(
        "nakes.grogot",
        "445/2187/DINKES-PSR/2025",
        "Dinas Kesehatan Kabupaten Paser",
        "Dinas Kesehatan Kabupaten Paser",
        -420,
        340,
    ),
    CredentialSpec(
        "konselor.banjarnegara",
        "ASR/027/BNNK-PBG/2025",
        "BNNK Purbalingga",
        "BNNK Purbalingga",
        -540,
        380,
    ),
    # Lapsed: this account may draft an assessment but not sign one ("cannot sign" demo).
    CredentialSpec(
        "nakes.banjarnegara",
        "445/0918/DINKES-BNA/2022",
        "Dinas Kesehatan Kabupaten Banjarnegara",
        "Dinas Kesehatan Kabupaten Banjarnegara",
        -1150,
        -55,
    ),
]


def seed_credentials(org: DemoOrganisation, today: datetime.date) -> int:
    """Give the demo assessors their certificates; return how many were created.

    Keyed on user and certificate number and never updated, like the accounts' passwords.
    """
    created = 0
    for spec in CREDENTIALS:
        user = org.users.get(spec.username)
        if user is None:
            continue
        agency = Agency.objects.filter(name=spec.agency).first() if spec.agency else None
        _, made = AssessorCredential.objects.get_or_create(
            user=user,
            certificate_number=spec.certificate_number,
            defaults={
                "issuing_body": agency,
                "issuing_body_name": spec.issuing_body_name,
                "valid_from": today + datetime.timedelta(days=spec.valid_from_days),
                "valid_until": today + datetime.timedelta(days=spec.valid_until_days),
            },
        )
        created += made
    return created


# --- The people and places of each demo Rutan -----------------------------------------------


@dataclass(frozen=True)
class Locale:
    """What differs between the demo Rutan: users, drug scene, labs and hospital."""

    seed: str
    counselor: str
    health: str
    # The drug each WBP mainly used ("" = admits to none), with weights.
    main_drugs: Sequence[tuple[str, int]]
    # Chance that a WBP has ever used each other substance.
    also_used: dict[str, float]
    other_names: Sequence[str]
    alcohol_name: str
    labs: Sequence[str]
    hospital: str
    drafts: int
    # The correction shown in the amendment trail: the diagnosis' substance ("diagnosis") or
    # its fourth character ("character").
    amendment: str


LOCALES = {
    "tanah-grogot": Locale(
        seed="rehab-demo-grogot-assessments",
        counselor="konselor.grogot",
        health="nakes.grogot",
        main_drugs=(
            ("amphetamines", 78),
            ("cannabis", 7),
            ("sedatives", 3),
            ("opioids", 2),
            ("alcohol", 4),
            ("hallucinogens", 1),
            ("", 5),
        ),
        also_used={
            "alcohol": 0.35,
            "cannabis": 0.25,
            "amphetamines": 0.3,
            "sedatives": 0.08,
            "opioids": 0.03,
            "inhalants": 0.04,
            "hallucinogens": 0.04,
            "other": 0.02,
        },
        other_names=("Dekstrometorfan (obat batuk)",),
        alcohol_name="miras",
        labs=("Labkesda Kabupaten Paser", "Balai Laboratorium Narkoba BNN"),
        hospital="RSUD Panglima Sebaya",
        drafts=2,
        amendment="diagnosis",
    ),
    "banjarnegara": Locale(
        seed="rehab-demo-banjarnegara-assessments",
        counselor="konselor.banjarnegara",
        health="nakes.banjarnegara",
        main_drugs=(
            ("amphetamines", 62),
            ("cannabis", 12),
            ("sedatives", 12),
            ("opioids", 3),
            ("alcohol", 6),
            ("", 5),
        ),
        also_used={
            "alcohol": 0.4,
            "cannabis": 0.3,
            "amphetamines": 0.3,
            "sedatives": 0.2,
            "opioids": 0.05,
            "inhalants": 0.05,
            "hallucinogens": 0.01,
            "other": 0.08,
        },
        other_names=("Trihexyphenidyl (pil Y)", "Dekstrometorfan (obat batuk)"),
        alcohol_name="ciu",
        labs=("Labkesda Kabupaten Banjarnegara", "Balai Laboratorium Narkoba BNN"),
        hospital="RSUD Hj. Anna Lasmanah Banjarnegara",
        drafts=3,
        amendment="character",
    ),
}


# --- ASSIST answers --------------------------------------------------------------------------

# A pattern of use gives the weights of each answer. Skip logic is applied afterwards, by
# scoring.questions_that_apply, so a drawn Q3-Q5 after Q2 = never (or a tobacco Q5) is dropped.
Weights = Sequence[tuple[str, int]]
PATTERNS: dict[str, dict[str, Weights]] = {
    # Ever used, not in the reference window; others may still have worried about it.
    "past": {
        "q2": (("never", 1),),
        "q6": (("no", 6), ("not_past_3_months", 3), ("past_3_months", 1)),
        "q7": (("no", 5), ("not_past_3_months", 4)),
    },
    "light": {
        "q2": (("once_or_twice", 7), ("monthly", 3)),
        "q3": (("never", 3), ("once_or_twice", 1)),
        "q4": (("never", 1),),
        "q5": (("never", 1),),
        "q6": (("no", 6), ("not_past_3_months", 1)),
        "q7": (("no", 1),),
    },
    "moderate": {
        "q2": (("monthly", 3), ("weekly", 5), ("daily", 2)),
        "q3": (("once_or_twice", 2), ("monthly", 3), ("weekly", 4), ("daily", 1)),
        "q4": (("never", 4), ("once_or_twice", 4), ("monthly", 2)),
        "q5": (("never", 6), ("once_or_twice", 3), ("monthly", 1)),
        "q6": (("no", 4), ("past_3_months", 3), ("not_past_3_months", 3)),
        "q7": (("no", 5), ("past_3_months", 2), ("not_past_3_months", 3)),
    },
    "heavy": {
        "q2": (("daily", 7), ("weekly", 3)),
        "q3": (("daily", 6), ("weekly", 4)),
        "q4": (("monthly", 35), ("weekly", 40), ("daily", 25)),
        "q5": (("once_or_twice", 1), ("monthly", 4), ("weekly", 4), ("daily", 1)),
        "q6": (("past_3_months", 8), ("not_past_3_months", 2)),
        "q7": (("past_3_months", 6), ("not_past_3_months", 3), ("no", 1)),
    },
    # Tobacco: most WBP smoke kretek every day, in the Rutan too.
    "smoker": {
        "q2": (("daily", 85), ("weekly", 10), ("monthly", 5)),
        "q3": (("daily", 6), ("weekly", 2), ("monthly", 1), ("never", 1)),
        "q4": (("never", 7), ("once_or_twice", 2), ("monthly", 1)),
        "q6": (("no", 5), ("past_3_months", 3), ("not_past_3_months", 2)),
        "q7": (("no", 4), ("past_3_months", 3), ("not_past_3_months", 3)),
    },
}

# How much the main drug was used, by the main article of the case: 127 is the user's article.
INTENSITY: dict[str, Weights] = {
    "127": (("light", 10), ("moderate", 45), ("heavy", 40), ("past", 5)),
    "other": (("light", 20), ("moderate", 48), ("heavy", 22), ("past", 10)),
}

USED = ("light", "moderate", "heavy", "smoker")


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    """Return one value of (value, weight) pairs."""
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _answers(rng: random.Random, substance: str, pattern: str) -> dict[str, str]:
    """Draw the answers of one substance for a pattern of use, following the skip logic."""
    if pattern == "never":
        return {"q1": "no"}
    drawn = {"q1": "yes", **{q: _pick(rng, w) for q, w in PATTERNS[pattern].items()}}
    asked = scoring.questions_that_apply(substance, drawn)
    return {q: v for q, v in drawn.items() if q == "q1" or q in asked}


@dataclass
class Case:
    """Everything drawn for one screened WBP before anything is written."""

    inmate: Inmate
    patterns: dict[str, str]
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    injection: str = Injection.NO
    injection_pattern: str = ""
    other_substance: str = ""
    main: str = ""
    level: str = "low"
    interviewed_on: datetime.date = datetime.date.min
    reference_period: str = ReferencePeriod.LAST_3_MONTHS
    # "signed", "draft" or "" (screened only)
    assessment: str = ""
    assessed_on: datetime.date = datetime.date.min
    final_tier: str = ""
    tier_reason: str = ""
    screening: AssistScreening | None = None

    @property
    def held_since(self) -> datetime.date:
        return self.inmate.detention_date or self.inmate.admission_date

    @property
    def suggested_tier(self) -> str:
        risky = scoring.injects_high_risk(self.injection, self.injection_pattern)
        return scoring.suggested_tier(self.level, injects_high_risk=risky)

    def draw_answers(self, rng: random.Random) -> None:
        """Draw the answers from the patterns; score them as the app does."""
        self.answers = {s: _answers(rng, s, self.patterns[s]) for s in scoring.SUBSTANCES}
        scores = {s: scoring.substance_involvement_score(s, a) for s, a in self.answers.items()}
        main = scoring.main_substance(scores)
        self.main = main or ""
        self.level = scoring.risk_level(main, scores[main]) if main else "low"


def _draw_case(rng: random.Random, locale: Locale, inmate: Inmate) -> Case:
    """Draw the substance history of one WBP as it was before detention."""
    articles = list(inmate.articles.all())
    article = articles[0].article if articles else ""
    main = "cannabis" if article == "111" else _pick(rng, locale.main_drugs)
    patterns = dict.fromkeys(scoring.SUBSTANCES, "never")
    patterns["tobacco"] = _pick(rng, (("smoker", 86), ("past", 6), ("never", 8)))
    for substance, chance in locale.also_used.items():
        # Someone who admits to no drug still owns up to a drink.
        if substance != main and (main or substance == "alcohol") and rng.random() < chance:
            patterns[substance] = _pick(rng, (("past", 55), ("light", 30), ("moderate", 15)))
    if main:
        patterns[main] = _pick(rng, INTENSITY["127" if article == "127" else "other"])
    case = Case(inmate=inmate, patterns=patterns)
    if patterns["other"] != "never":
        case.other_substance = rng.choice(list(locale.other_names))
    if patterns["opioids"] != "never":
        case.injection = _pick(
            rng,
            ((Injection.NO, 5), (Injection.NOT_PAST_3_MONTHS, 4), (Injection.PAST_3_MONTHS, 1)),
        )
    elif patterns["amphetamines"] == "heavy" and rng.random() < 0.05:
        case.injection = Injection.NOT_PAST_3_MONTHS
    if case.injection == Injection.PAST_3_MONTHS:
        case.injection_pattern = rng.choice(list(InjectionPattern.values))
    case.draw_answers(rng)
    return case


def _in_custody_window(case: Case, rng: random.Random) -> None:
    """Ask about the last 3 months of someone held for longer: only the cigarettes remain."""
    case.reference_period = ReferencePeriod.LAST_3_MONTHS
    case.patterns = {
        s: ("past" if p in USED and s != "tobacco" else p) for s, p in case.patterns.items()
    }
    if case.injection == Injection.PAST_3_MONTHS:
        case.injection, case.injection_pattern = Injection.NOT_PAST_3_MONTHS, ""
    case.draw_answers(rng)


# --- Dates -----------------------------------------------------------------------------------


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _screening_day(rng: random.Random, inmate: Inmate, today: datetime.date) -> datetime.date:
    """Intake screening for recent admissions, a screening round for the others."""
    admitted = inmate.admission_date
    if (today - admitted).days <= 120:
        day = admitted + _days(rng.randint(1, 21))
    else:
        day = max(today - _days(rng.randint(0, 180)), admitted + _days(30))
    return min(day, today)


def _review_slots(count: int) -> list[str]:
    """Where each signed assessment stands today: a few overdue, some due this week; the
    overdue first."""
    overdue_end = max(1, round(count * 0.05))
    overdue_mid = max(1, round(count * 0.1))
    this_week = max(2, round(count * 0.25))
    slots = ["end_overdue"] * overdue_end + ["mid_overdue"] * overdue_mid
    slots += ["this_week"] * this_week
    slots += ["later"] * max(0, count - len(slots))
    return slots[:count]


def _assessment_day(
    rng: random.Random, tier: str, slot: str, today: datetime.date
) -> datetime.date:
    """The day an assessment was made so that its re-assessments fall in the slot."""
    mid, end = REVIEW_DAYS[Tier(tier)]
    if slot == "end_overdue":
        return today - _days(end + rng.randint(1, 6))
    if slot == "mid_overdue":
        return today - _days(mid + rng.randint(1, min(10, end - mid - 1)))
    if slot == "this_week":
        return today - _days(mid - rng.randint(0, 6))
    return today - _days(rng.randint(0, max(0, mid - 7)))


# --- Assessment content ----------------------------------------------------------------------

DRUG_NAMES = {
    "tobacco": "rokok",
    "cannabis": "ganja",
    "cocaine": "kokain",
    "amphetamines": "sabu",
    "inhalants": "lem",
    "sedatives": "pil koplo",
    "hallucinogens": "kecubung",
    "opioids": "tramadol",
}

ICD_PREFIX = {
    "alcohol": "F10",
    "opioids": "F11",
    "cannabis": "F12",
    "sedatives": "F13",
    "cocaine": "F14",
    "amphetamines": "F15",
    "hallucinogens": "F16",
    "inhalants": "F18",
    "other": "F19",
}

FREQUENCY_TEXT = {
    "daily": "hampir setiap hari",
    "weekly": "beberapa kali seminggu",
    "monthly": "satu-dua kali sebulan",
    "once_or_twice": "sesekali saja",
    "never": "sudah berhenti lebih dari tiga bulan",
}

ROUTES: dict[str, Weights] = {
    "amphetamines": ((Route.SMOKED, 95), (Route.ORAL, 3), (Route.SNORTED, 2)),
    "cannabis": ((Route.SMOKED, 1),),
    "sedatives": ((Route.ORAL, 1),),
    "opioids": ((Route.ORAL, 7), (Route.SMOKED, 3)),
    "alcohol": ((Route.ORAL, 1),),
    "hallucinogens": ((Route.ORAL, 1),),
    "inhalants": ((Route.INHALED, 1),),
    "cocaine": ((Route.SNORTED, 1),),
    "other": ((Route.ORAL, 1),),
}

NARRATIVES: dict[str, Sequence[str]] = {
    Domain.DEMOGRAPHIC: (
        "{sex}, {age} tahun, {schooling}. Berasal dari {origin}.",
        "{sex} berusia {age} tahun asal {origin}; {schooling}.",
    ),
    Domain.MEDICAL: (
        "Tidak ada keluhan fisik berarti saat ini. Tidak pernah dirawat inap.",
        "Mengeluh sulit tidur dan nafsu makan turun sejak ditahan. Tidak ada penyakit kronis.",
        "Berat badan turun sekitar {kg} kg dalam setahun sebelum ditahan. Gigi banyak yang rusak.",
        "Sering berdebar dan lemas setelah memakai {drug} berhari-hari. Perlu pemeriksaan "
        "lanjutan oleh dokter Rutan.",
        "Pernah dirawat di puskesmas karena tifus. Saat ini tekanan darah dan nadi normal.",
    ),
    Domain.EMPLOYMENT: (
        "Sebelum ditahan bekerja sebagai {occupation} dengan penghasilan tidak tetap. "
        "Keluarga bergantung pada penghasilannya.",
        "Bekerja sebagai {occupation}; sering bolos kerja karena pemakaian. Sebagian besar "
        "uangnya habis untuk membeli {drug}.",
        "Penghasilan sebagai {occupation} cukup untuk kebutuhan sehari-hari. Ingin kembali "
        "bekerja setelah bebas.",
    ),
    "jobless": (
        "Tidak bekerja sejak {years} tahun terakhir; kebutuhan sehari-hari ditanggung orang "
        "tua. Belum punya keterampilan kerja.",
        "Tidak punya pekerjaan tetap sebelum ditahan, kadang ikut membantu kerja serabutan. "
        "Berminat ikut pelatihan kerja di Rutan.",
    ),
    Domain.SUBSTANCE: (
        "Mulai memakai {drug} pada usia {first_age} tahun karena ajakan teman. Frekuensi "
        "pakai sebelum ditahan: {frequency}.",
        "Memakai {drug} sekitar {years} tahun, terakhir beberapa hari sebelum ditangkap. "
        "Pernah mencoba berhenti tetapi kambuh.",
        "Memakai {drug} agar kuat bekerja dan tidak mengantuk. Mengaku sulit menolak bila "
        "ditawari teman.",
    ),
    Domain.LEGAL: (
        "Perkara {articles}, {status}. Ini perkara pertama; belum pernah dipidana.",
        "Perkara {articles}, {status}. Pernah ditahan dalam perkara narkotika sebelumnya.",
        "Perkara {articles}, {status}. Tidak ada perkara lain yang sedang berjalan.",
    ),
    Domain.FAMILY: (
        "Sudah menikah dan memiliki {children} anak; pasangan rutin membesuk. Hubungan "
        "dengan keluarga cukup baik.",
        "Sudah menikah dengan {children} anak, tetapi pasangan jarang membesuk sejak "
        "penangkapan. Khawatir tentang biaya sekolah anak.",
        "Bercerai; anak diasuh oleh neneknya. Jarang dibesuk keluarga.",
    ),
    "single": (
        "Belum menikah, tinggal bersama orang tua sebelum ditahan. Orang tua kecewa tetapi "
        "tetap mendukung.",
        "Belum menikah. Sebagian besar teman dekatnya juga pemakai {drug}.",
    ),
    Domain.PSYCHIATRIC: (
        "Tidak ditemukan gejala psikotik. Suasana hati cukup stabil selama di Rutan.",
        "Sering cemas dan sulit tidur sejak ditahan. Tidak ada pikiran bunuh diri.",
        "Mudah tersinggung dan marah bila tidak memakai. Perlu evaluasi psikologis lanjutan.",
        "Pernah mendengar bisikan dan merasa diikuti orang setelah memakai {drug} berhari-hari. "
        "Saat ini gejala tidak muncul.",
    ),
}

# Interviewer severity (0-9) of the substance domain and of the others, per tier.
SEVERITY = {
    Tier.RINGAN: ((2, 4), (0, 3)),
    Tier.SEDANG: ((4, 6), (1, 5)),
    Tier.BERAT: ((6, 9), (2, 7)),
}
# The client's own 0-4 ratings of the substance domain and of the others, per tier.
CLIENT = {
    Tier.RINGAN: ((0, 2), (0, 2)),
    Tier.SEDANG: ((1, 3), (0, 3)),
    Tier.BERAT: ((2, 4), (0, 4)),
}

COMORBIDITY = {
    Tier.SEDANG: ("Insomnia non-organik (F51.0)", "Gangguan penyesuaian (F43.2)"),
    Tier.BERAT: (
        "Gangguan psikotik akibat stimulan (F15.5), saat ini dalam remisi",
        "Episode depresif sedang (F32.1)",
        "Gangguan cemas menyeluruh (F41.1)",
    ),
}

TIER_CHANGES: dict[str, Sequence[tuple[str, str]]] = {
    Tier.BERAT: (
        (
            Tier.SEDANG,
            "Skor ASSIST tinggi menggambarkan pemakaian sebelum ditahan. Selama di Rutan tidak "
            "ada tanda putus zat dan dukungan keluarga baik, sehingga cukup program 30 hari.",
        ),
    ),
    Tier.SEDANG: (
        (
            Tier.BERAT,
            "Ada riwayat kambuh setelah rehabilitasi sebelumnya dan gejala paranoid saat "
            "memakai {drug}. Perlu program intensif 60 hari.",
        ),
        (
            Tier.RINGAN,
            "Pemakaian bersifat coba-coba dan situasional, tanpa kriteria ketergantungan. "
            "Cukup edukasi dan intervensi singkat 15 hari.",
        ),
    ),
}


def _stimulant_only(text: str) -> bool:
    return "berhari-hari" in text or "tidak mengantuk" in text


@dataclass
class Draft:
    """The fields and rows of one assessment, before it is written."""

    data: dict[str, Any]
    rows: services.AssessmentRows


def _sentence_text(inmate: Inmate) -> str:
    years, months = divmod(inmate.sentence_months or 0, 12)
    parts = [f"{years} tahun"] if years else []
    if months:
        parts.append(f"{months} bulan")
    return " ".join(parts) or "kurang dari satu bulan"


def _articles_text(inmate: Inmate) -> str:
    articles = list(inmate.articles.all())
    if not articles:
        return "narkotika"
    return " ".join(str(a) for a in articles) + f" {articles[0].law}"


def _drug_name(case: Case, substance: str, locale: Locale) -> str:
    if substance == "alcohol":
        return locale.alcohol_name
    if substance == "other":
        return case.other_substance.split(" (")[0].lower() or "zat lain"
    if substance == "opioids" and case.injection != Injection.NO:
        return "putaw"
    return DRUG_NAMES[substance]


def _substance_uses(
    rng: random.Random, case: Case, age: int, first_age: int
) -> list[dict[str, Any]]:
    """The main substance first, then up to two others ever used (tobacco aside); `age` is
    the age at detention."""
    others = [
        s
        for s in scoring.SUBSTANCES
        if s not in ("tobacco", case.main) and case.patterns[s] != "never"
    ]
    rows = []
    for n, substance in enumerate([case.main, *others[:2]]):
        first = first_age
        if n:
            earliest = min(first_age + 1, age - 1)
            first = rng.randint(earliest, max(earliest, min(age - 1, first_age + 15)))
        span = max(1, age - first)
        route = _pick(rng, ROUTES[substance])
        if case.injection != Injection.NO and substance in ("opioids", "amphetamines"):
            route = Route.INJECTED if substance == "opioids" or rng.random() < 0.5 else route
        recent = case.patterns[substance] in USED
        if n == 0 or recent:
            last_use = case.held_since - _days(rng.randint(0, 6))
        else:
            last_use = case.held_since - _days(rng.randint(90, 900))
        rows.append(
            {
                "substance": substance,
                "age_first_use": first,
                "route": route,
                "years_used": rng.randint(1, min(span, 15)),
                "last_use": last_use if n == 0 or rng.random() < 0.6 else None,
            }
        )
    return rows


def _diagnosis(rng: random.Random, case: Case, tier: str) -> dict[str, str]:
    prefix = ICD_PREFIX[case.main]
    multiple = sum(case.patterns[s] in ("moderate", "heavy") for s in ICD_PREFIX) > 1
    if multiple and tier == Tier.BERAT and rng.random() < 0.3:
        prefix = "F19"
    if rng.random() < 0.15:
        severity = {
            Tier.RINGAN: Dsm5Severity.MILD,
            Tier.SEDANG: Dsm5Severity.MODERATE,
            Tier.BERAT: Dsm5Severity.SEVERE,
        }[Tier(tier)]
        code = f"{prefix}.{'10' if severity == Dsm5Severity.MILD else '20'}"
        return {
            "diagnosis_system": DiagnosisSystem.DSM5,
            "diagnosis_code": code,
            "dsm5_severity": severity,
        }
    if tier == Tier.RINGAN or (tier == Tier.SEDANG and rng.random() < 0.3):
        code = f"{prefix}.1"
    elif tier == Tier.BERAT and rng.random() < 0.4:
        code = f"{prefix}.21"  # dependence, abstinent in a protected environment
    else:
        code = f"{prefix}.2"
    return {"diagnosis_system": DiagnosisSystem.ICD10, "diagnosis_code": code}


def _plan_items(
    rng: random.Random, case: Case, tier: str, comorbidity: str, locale: Locale
) -> list[dict[str, str]]:
    def item(intervention: str, details: str) -> dict[str, str]:
        return {"intervention": intervention, "details": details}

    if tier == Tier.RINGAN:
        return [
            item(Intervention.EDUCATION, "Edukasi bahaya narkoba oleh petugas kesehatan"),
            item(Intervention.BRIEF, "Intervensi singkat berdasarkan hasil ASSIST, 2 sesi"),
            item(Intervention.GROUP, "Pembinaan 15 hari bersama narasumber kesehatan dan agama"),
        ]
    items = []
    if tier == Tier.BERAT:
        items.append(item(Intervention.SOCIAL, "Program TC di blok hunian rehabilitasi, 60 hari"))
        items.append(item(Intervention.INDIVIDUAL, "Konseling individu 2x seminggu"))
        items.append(item(Intervention.GROUP, "Pertemuan pagi dan kelompok seminar setiap hari"))
    else:
        items.append(item(Intervention.INDIVIDUAL, "Konseling individu 1x seminggu selama 30 hari"))
        items.append(item(Intervention.GROUP, "Konseling kelompok 2x seminggu"))
    if rng.random() < (0.6 if tier == Tier.BERAT else 0.4):
        items.append(item(Intervention.FAMILY, "Sesi keluarga pada jadwal kunjungan"))
    if rng.random() < (0.4 if tier == Tier.BERAT else 0.15):
        items.append(item(Intervention.PSYCHOLOGICAL, "Evaluasi psikologis oleh psikolog mitra"))
    if case.main == "opioids" and case.injection != Injection.NO:
        items.append(item(Intervention.MAINTENANCE, f"Rujukan layanan PTRM {locale.hospital}"))
    if comorbidity:
        items.append(item(Intervention.REFERRAL, f"Rujukan ke poli jiwa {locale.hospital}"))
    return items


def _draft(rng: random.Random, case: Case, locale: Locale, *, complete: bool = True) -> Draft:
    """Draw a whole assessment of a case: domains, substances, diagnosis and plan.

    A draft (complete=False) has only the first domains written up, no diagnosis and no plan.
    """
    assessed_on = case.assessed_on
    inmate = case.inmate
    final = case.final_tier
    drug = _drug_name(case, case.main, locale)
    age = inmate.age_on(assessed_on) or 30
    age_detained = inmate.age_on(case.held_since) or age
    first_age = rng.randint(14, max(14, min(30, age_detained - 1)))
    substance_uses = _substance_uses(rng, case, age_detained, first_age)
    married = age >= 25 and rng.random() < 0.65
    jobless = inmate.occupation in ("", "Tidak bekerja")
    # Palpitations and paranoia after days-long runs are what sabu does, not ganja or ciu.
    stimulant = case.main == "amphetamines"
    main_q2 = case.answers[case.main].get("q2", "never")
    context = {
        "sex": Sex(inmate.sex).label if inmate.sex else "WBP",
        "age": age,
        "schooling": (
            "tidak pernah bersekolah"
            if inmate.education == Education.NONE
            else f"pendidikan terakhir {inmate.get_education_display() or 'tidak diketahui'}"
        ),
        "origin": inmate.origin_regency or "tidak diketahui",
        "kg": rng.randint(5, 12),
        "drug": drug,
        "occupation": inmate.occupation.lower(),
        "years": substance_uses[0]["years_used"],
        "first_age": first_age,
        "frequency": FREQUENCY_TEXT[main_q2],
        "articles": _articles_text(inmate),
        "status": (
            "masih dalam proses peradilan"
            if inmate.register_class in (RegisterClass.A_II, RegisterClass.A_III)
            else f"sudah diputus dengan pidana {_sentence_text(inmate)}"
        ),
        "children": rng.randint(1, 3),
    }
    client_main, client_other = CLIENT[Tier(final)]
    severity_main, severity_other = SEVERITY[Tier(final)]
    domains = []
    for n, domain in enumerate(Domain.values):
        key = domain
        if domain == Domain.EMPLOYMENT and jobless:
            key = "jobless"
        elif domain == Domain.FAMILY and not married:
            key = "single"
        filled = complete or n < 4
        texts = [t for t in NARRATIVES[key] if stimulant or not _stimulant_only(t)]
        row: dict[str, Any] = {
            "domain": domain,
            "narrative": rng.choice(texts).format(**context) if filled else "",
            "client_trouble": None,
            "client_need": None,
            "severity": None,
        }
        # The ASI rates every domain but the demographic one.
        if filled and domain != Domain.DEMOGRAPHIC:
            main_domain = domain == Domain.SUBSTANCE
            low, high = client_main if main_domain else client_other
            trouble = rng.randint(low, high)
            row["client_trouble"] = trouble
            row["client_need"] = min(4, max(0, trouble + rng.randint(-1, 1)))
            row["severity"] = rng.randint(*(severity_main if main_domain else severity_other))
        domains.append(row)
    comorbidity = ""
    if Tier(final) in COMORBIDITY and rng.random() < (0.3 if final == Tier.BERAT else 0.1):
        comorbidity = rng.choice(list(COMORBIDITY[Tier(final)]))
    data: dict[str, Any] = {
        "assessed_on": assessed_on,
        "screening": case.screening,
        "comorbidity": comorbidity,
        "final_tier": final,
        "tier_reason": case.tier_reason.format(drug=drug),
    }
    if complete:
        data.update(_diagnosis(rng, case, final))
    return Draft(
        data=data,
        rows=services.AssessmentRows(
            domains=domains,
            substance_uses=substance_uses,
            plan_items=_plan_items(rng, case, final, comorbidity, locale) if complete else [],
        ),
    )


def _sign(
    assessment: Assessment, by: Any, day: datetime.date, facility: Facility, rng: random.Random
) -> Assessment:
    """Sign through the service, then date the signature on the working day it was given."""
    signed = services.assessment_sign(assessment=assessment, by=by)
    local = datetime.datetime.combine(day, datetime.time(rng.randint(9, 15), rng.randint(0, 59)))
    moment = min(timezone.make_aware(local, zoneinfo.ZoneInfo(facility.time_zone)), timezone.now())
    Assessment.objects.filter(pk=signed.pk).update(signed_at=moment)
    signed.signed_at = moment
    return signed


# --- Urine tests and health screening -------------------------------------------------------

ANALYTE_OF = {"amphetamines": "MET", "cannabis": "THC", "sedatives": "BZO", "opioids": "MOP"}


def _urine(rng: random.Random, case: Case, locale: Locale, today: datetime.date) -> dict[str, Any]:
    """A rapid test soon after the screening: positive mostly right after arrest."""
    assert case.interviewed_on is not None
    tested_on = min(case.interviewed_on + _days(rng.randint(0, 3)), today)
    panel = UrinePanel.SIX if rng.random() < 0.85 else UrinePanel.THREE
    analytes = PANEL_ANALYTES[panel]
    results = dict.fromkeys(analytes, TestResult.NEGATIVE.value)
    fresh = (tested_on - case.held_since).days <= 7
    if rng.random() < (0.5 if fresh else 0.2):
        # Use inside the Rutan is mostly sabu smuggled in, whatever the main drug was.
        positive = ANALYTE_OF.get(case.main, "MET") if fresh else "MET"
        if positive == "MET" and panel == UrinePanel.THREE:
            positive = "AMP"  # the three-parameter cassette has no MET strip
        results[positive] = TestResult.POSITIVE
        if positive == "MET" and rng.random() < 0.4:
            results["AMP"] = TestResult.POSITIVE
    elif rng.random() < 0.03:
        results[rng.choice(analytes)] = TestResult.INVALID
    positive_found = TestResult.POSITIVE in results.values()
    confirmation_lab = rng.choice(list(locale.labs)) if positive_found else ""
    confirmation = ""
    if positive_found:
        confirmation = _pick(rng, ((TestResult.POSITIVE, 75), (TestResult.NEGATIVE, 10), ("", 15)))
    return {
        "tested_on": tested_on,
        "panel": panel,
        "results": results,
        "kit_lot": f"{'6P' if panel == UrinePanel.SIX else '3P'}-{tested_on:%y%m}-"
        f"{rng.randint(100, 999)}",
        "confirmation_lab": confirmation_lab,
        "confirmation_result": confirmation,
    }


def _health(
    rng: random.Random,
    inmate: Inmate,
    injected: bool,
    locale: Locale,
    today: datetime.date,
    show_hcv: bool = False,
) -> dict[str, Any]:
    """HIV, TB, hepatitis and syphilis screening: mostly non-reactive, referrals for the rest.
    With `show_hcv` the hepatitis C test is reactive, so each Rutan shows one such referral."""
    day = _screening_day(rng, inmate, today)

    def result(done: float, reactive: float) -> str:
        if rng.random() >= done:
            return ScreenResult.NOT_DONE
        return ScreenResult.REACTIVE if rng.random() < reactive else ScreenResult.NON_REACTIVE

    hiv = result(1.0, 0.2 if injected else 0.01)
    tb_symptoms = rng.random() < 0.06
    tb_xray: str = ScreenResult.NOT_DONE
    tb_tcm: str = ScreenResult.NOT_DONE
    if tb_symptoms:
        tb_xray = result(1.0, 0.4)
        tb_tcm = result(1.0, 0.5 if tb_xray == ScreenResult.REACTIVE else 0.05)
    hepatitis_b = result(0.8, 0.04)
    hepatitis_c = result(1.0 if injected else 0.7, 0.4 if injected else 0.02)
    if show_hcv:
        hepatitis_c = ScreenResult.REACTIVE
    syphilis = result(0.6, 0.02)
    notes = []
    if hiv == ScreenResult.REACTIVE:
        notes.append("HIV reaktif pada tes cepat; dirujuk untuk konfirmasi dan terapi ARV.")
    if tb_symptoms:
        notes.append("Batuk lebih dari dua minggu dan keringat malam; dahak diperiksa TCM.")
    if hepatitis_b == ScreenResult.REACTIVE:
        notes.append("HBsAg reaktif; dirujuk ke poli penyakit dalam.")
    if hepatitis_c == ScreenResult.REACTIVE:
        notes.append("Anti-HCV reaktif; dirujuk untuk pemeriksaan HCV RNA.")
    if syphilis == ScreenResult.REACTIVE:
        notes.append("Sifilis reaktif; dirujuk untuk terapi.")
    referred = bool(notes)
    if not notes and rng.random() < 0.5:
        notes.append("Edukasi pencegahan HIV, hepatitis dan TB diberikan.")
    return {
        "screened_on": day,
        "consent_given": True,
        "hiv": hiv,
        "tb_symptoms": tb_symptoms,
        "tb_xray": tb_xray,
        "tb_tcm": tb_tcm,
        "hepatitis_b": hepatitis_b,
        "hepatitis_c": hepatitis_c,
        "syphilis": syphilis,
        "referred_to": locale.hospital if referred else "",
        "notes": " ".join(notes),
    }


# --- Putting it together ---------------------------------------------------------------------


@dataclass
class Seeded:
    """What was written for one facility."""

    screenings: int = 0
    urine_tests: int = 0
    health_screenings: int = 0
    assessments: int = 0
    drafts: int = 0

    def __str__(self) -> str:
        return (
            f"{self.screenings} ASSIST screenings, {self.urine_tests} urine tests, "
            f"{self.health_screenings} health screenings, {self.assessments} signed "
            f"assessments, {self.drafts} drafts"
        )


def _decide_tier(rng: random.Random, case: Case) -> None:
    """The assessor mostly follows the screening's suggestion, sometimes with a reason not."""
    suggested = case.suggested_tier
    case.final_tier, case.tier_reason = suggested, ""
    if rng.random() < TIER_CHANGED_SHARE and suggested in TIER_CHANGES:
        case.final_tier, case.tier_reason = rng.choice(list(TIER_CHANGES[suggested]))


def _plan_cases(
    rng: random.Random, locale: Locale, inmates: list[Inmate], today: datetime.date
) -> list[Case]:
    """Draw who is screened, with what answers and when, and who is assessed when."""
    screened = rng.sample(inmates, round(len(inmates) * SCREENED_SHARE))
    cases = [_draw_case(rng, locale, inmate) for inmate in sorted(screened, key=lambda i: i.pk)]
    signed = [c for c in cases if c.level != "low" and rng.random() < ASSESSED_SHARE]
    # Overdue re-assessments go to WBP held long enough for their dates to follow admission.
    rng.shuffle(signed)
    signed.sort(key=lambda c: (today - c.inmate.admission_date).days < 100)
    for case, slot in zip(signed, _review_slots(len(signed)), strict=True):
        case.assessment = "signed"
        _decide_tier(rng, case)
        assessed_on = _assessment_day(rng, case.final_tier, slot, today)
        screened_on = max(assessed_on - _days(rng.randint(1, 14)), case.inmate.admission_date)
        case.interviewed_on = min(screened_on, today)
        case.assessed_on = max(assessed_on, case.interviewed_on)
    for case in cases:
        if not case.assessment:
            case.interviewed_on = _screening_day(rng, case.inmate, today)
        if (case.interviewed_on - case.held_since).days > HELD_LONG_DAYS:
            if not case.assessment and rng.random() < 0.12:
                _in_custody_window(case, rng)
            else:
                case.reference_period = ReferencePeriod.BEFORE_DETENTION
    waiting = [c for c in cases if not c.assessment and c.level != "low"]
    for case in rng.sample(waiting, min(locale.drafts, len(waiting))):
        case.assessment = "draft"
        _decide_tier(rng, case)
        case.assessed_on = max(today - _days(rng.randint(0, 4)), case.interviewed_on)
    return cases


def _slip(case: Case, draft: Draft, locale: Locale) -> tuple[str, dict[str, Any]]:
    """Put a slip into an assessment before it is signed; return the correction's reason and
    the fields that put it right."""
    data = draft.data
    if locale.amendment == "diagnosis" and data.get("diagnosis_code"):
        right = data["diagnosis_code"]
        wrong = ("F12" if not right.startswith("F12") else "F15") + right[3:]
        data["diagnosis_code"] = wrong
        drug = _drug_name(case, case.main, locale)
        reason = (
            f"Salah ketik kode diagnosis: tertulis {wrong}, seharusnya {right} sesuai zat "
            f"utama ({drug})."
        )
        return reason, {"diagnosis_code": right}
    # The fourth character slipped: harmful use (.1) typed for dependence (.2) or back.
    right = data["diagnosis_code"]
    prefix, _, rest = right.partition(".")
    wrong = f"{prefix}.{'2' if rest.startswith('1') else '1'}{rest[1:]}"
    data["diagnosis_code"] = wrong
    meant = "penggunaan yang merugikan" if rest.startswith("1") else "sindrom ketergantungan"
    reason = f"Salah ketik kode diagnosis: tertulis {wrong}, seharusnya {right} ({meant})."
    return reason, {"diagnosis_code": right}


def seed_facility_assessments(
    *, facility: Facility, staff: Any, counselor: Any, health: Any, today: datetime.date
) -> Seeded | None:
    """Screen, test and assess the demo WBP of one facility; return what was written.

    A facility that already has an ASSIST screening is left alone (None): its records may be
    real or edited, and a second run must duplicate nothing.
    """
    if AssistScreening.objects.filter(facility=facility).exists():
        return None
    locale = LOCALES[facility.code]
    rng = random.Random(locale.seed)
    inmates = list(
        Inmate.objects.filter(facility=facility)
        .in_custody()
        .order_by("pk")
        .prefetch_related("articles")
    )
    cases = _plan_cases(rng, locale, inmates, today)
    seeded = Seeded()
    for case in sorted(cases, key=lambda c: (c.interviewed_on, c.inmate.pk)):
        case.screening = services.screening_record(
            inmate=case.inmate,
            by=counselor if rng.random() < 0.4 else staff,
            interviewed_on=case.interviewed_on,
            reference_period=case.reference_period,
            answers=case.answers,
            injection=case.injection,
            injection_pattern=case.injection_pattern,
            other_substance=case.other_substance,
        )
        seeded.screenings += 1

    tested = rng.sample(cases, round(len(cases) * URINE_SHARE))
    for case in sorted(tested, key=lambda c: (c.interviewed_on, c.inmate.pk)):
        services.urine_test_record(
            inmate=case.inmate, by=health, **_urine(rng, case, locale, today)
        )
        seeded.urine_tests += 1

    injected = {c.inmate.pk for c in cases if c.injection != Injection.NO}
    examined = rng.sample(inmates, round(len(inmates) * HEALTH_SHARE))
    in_order = sorted(examined, key=lambda i: i.pk)
    # one reactive hepatitis C test per Rutan: the first who injected, else the first examined
    first_injected = next(
        (i.pk for i in in_order if i.pk in injected), in_order[0].pk if in_order else None
    )
    for inmate in sorted(examined, key=lambda i: i.pk):
        data = _health(
            rng, inmate, inmate.pk in injected, locale, today, inmate.pk == first_injected
        )
        services.health_screening_record(inmate=inmate, by=health, data=data)
        seeded.health_screenings += 1

    correction_shown = False
    for case in sorted(cases, key=lambda c: (c.assessed_on, c.inmate.pk)):
        if case.assessment == "draft":
            # The first draft is the health worker's: in Banjarnegara her certificate has
            # lapsed, so it waits for someone who may sign.
            draft = _draft(rng, case, locale, complete=False)
            services.assessment_create(
                inmate=case.inmate,
                by=health if not seeded.drafts else counselor,
                data=draft.data,
                rows=draft.rows,
            )
            seeded.drafts += 1
        elif case.assessment == "signed":
            draft = _draft(rng, case, locale)
            slip = None
            if not correction_shown and case.assessed_on <= today - _days(5):
                slip, correction_shown = _slip(case, draft, locale), True
            assessment = services.assessment_create(
                inmate=case.inmate, by=counselor, data=draft.data, rows=draft.rows
            )
            _sign(assessment, counselor, case.assessed_on, facility, rng)
            if slip:
                reason, fix = slip
                copy = services.assessment_amend(assessment=assessment, by=counselor, reason=reason)
                copy = services.assessment_update(
                    assessment=copy,
                    by=counselor,
                    data=fix,
                    rows=draft.rows,
                    expected_revision=copy.revision,
                )
                day = min(case.assessed_on + _days(rng.randint(1, 4)), today)
                _sign(copy, counselor, day, facility, rng)
            seeded.assessments += 1
    return seeded


def seed_assessments(org: DemoOrganisation) -> dict[str, Seeded | None]:
    """Give the assessors their certificates, then screen, test and assess the demo WBP of
    every demo Rutan; return what was written per facility code (None: left as it was)."""
    today = timezone.localdate()
    seed_credentials(org, today)
    written: dict[str, Seeded | None] = {}
    for site in org.sites:
        locale = LOCALES.get(site.facility.code)
        if locale is None:
            continue
        written[site.facility.code] = seed_facility_assessments(
            facility=site.facility,
            staff=site.staff,
            counselor=org.users[locale.counselor],
            health=org.users[locale.health],
            today=today,
        )
    return written
