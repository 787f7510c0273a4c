"""The EMCDDA Treatment Demand Indicator (TDI) 3.0 item set for the treatment entrants of one
facility and period, as CSV and XLSX.

One row per treatment episode: a programme enrolment of the facility that started in the period
[start, end). A tier change inside the facility (an enrolment that `replaces` another) is the same
episode and is not a new entrant; a programme continued after a transfer is an entrant of the
receiving UPT (TDI counts per centre) and is "previously treated".

The items and code lists below are written from the TDI protocol 3.0 (EMCDDA 2012) and adapted
where the protocol is European (nationality). Where rehab does not hold an item, its column is
written with the protocol's "not known" code (99); NOT_HELD names those items, and the export
page lists them. Every code is a string, so a CSV and an XLSX of the same rows read alike.

What rehab holds and where it comes from:
- treatment centre type: always "treatment unit in prison" (3);
- date of treatment start: the enrolment's start date;
- ever previously treated: 2 when the same person has an earlier programme in rehab (this
  record, or the records of earlier episodes and UPT); rehab cannot know treatment outside it,
  so otherwise 99, never "never treated";
- sex, age at treatment start, education, nationality (Indonesian or not) and labour status
  (from the SDP occupation text) from the WBP record; living status "where": an institution (3),
  since every entrant is in custody at the start;
- primary drug: the main substance of the newest ASSIST screening on or before the start, else
  (clinical roles only) the first substance of the assessment the placement rests on;
- secondary drugs and polydrug use: the other substances (not tobacco) the screening says were
  used in its reference period, highest score first, at most four;
- route of administration and age at first use: the assessment's substance history of the
  primary drug; frequency of use: the screening's Q2 answer for the primary drug;
- injecting: the screening's Q8 answer.

Route, frequency, age at first use and injecting are health items (the assessment is clinical;
injecting is a health risk marker): their columns are written only for a role that may see
health results (rehab.access "health.view_result"), and left out of the header otherwise.
The client code is pseudonymous (a keyed hash of the person, never the name or the
registration number): the same person has the same code in every UPT and episode.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from assessments.models import Assessment, AssistScreening, Injection, Route, Substance
from inmates.matching import name_key
from inmates.models import Education, Inmate, Sex
from programs.models import Enrolment, EnrolmentState
from rehab.models import Facility
from reports.exports import _cell, _safe_text, _save, _sheet_title

NOT_KNOWN = "99"
SECONDARY_SLOTS = 4


@dataclass(frozen=True)
class Item:
    """One TDI item: its column key, the label of the header, whether it is a health item and
    its code list (value -> meaning), None for a date or a number."""

    key: str
    label: Promise | str
    codes: Mapping[str, Promise] | None = None
    health: bool = False


UNKNOWN = gettext_lazy("Tidak diketahui")

CENTRE_TYPES = {
    "1": gettext_lazy("Layanan rawat jalan"),
    "2": gettext_lazy("Layanan rawat inap"),
    "3": gettext_lazy("Unit layanan di lapas/rutan"),
    "4": gettext_lazy("Dokter umum"),
    "5": gettext_lazy("Layanan ambang rendah"),
    "6": gettext_lazy("Lainnya"),
    NOT_KNOWN: UNKNOWN,
}
PRISON = "3"
PREVIOUSLY_TREATED = {
    "1": gettext_lazy("Belum pernah dirawat"),
    "2": gettext_lazy("Pernah dirawat sebelumnya"),
    NOT_KNOWN: UNKNOWN,
}
REFERRAL = {
    "1": gettext_lazy("Datang sendiri"),
    "2": gettext_lazy("Keluarga/teman"),
    "3": gettext_lazy("Layanan adiksi lain"),
    "4": gettext_lazy("Dokter umum"),
    "5": gettext_lazy("Rumah sakit/layanan medis lain"),
    "6": gettext_lazy("Layanan sosial"),
    "7": gettext_lazy("Layanan pendidikan"),
    "8": gettext_lazy("Pengadilan/pembimbing kemasyarakatan/polisi"),
    "9": gettext_lazy("Lainnya"),
    NOT_KNOWN: UNKNOWN,
}
SEX = {"1": gettext_lazy("Laki-laki"), "2": gettext_lazy("Perempuan"), NOT_KNOWN: UNKNOWN}
SEX_CODE: dict[str, str] = {Sex.MALE: "1", Sex.FEMALE: "2"}
LIVING_WITH = {
    "1": gettext_lazy("Sendiri"),
    "2": gettext_lazy("Dengan orang tua/keluarga"),
    "3": gettext_lazy("Sendiri dengan anak"),
    "4": gettext_lazy("Dengan pasangan"),
    "5": gettext_lazy("Dengan pasangan dan anak"),
    "6": gettext_lazy("Dengan teman/orang lain"),
    "7": gettext_lazy("Lainnya"),
    NOT_KNOWN: UNKNOWN,
}
LIVING_WHERE = {
    "1": gettext_lazy("Tempat tinggal tetap"),
    "2": gettext_lazy("Tempat tinggal tidak tetap"),
    "3": gettext_lazy("Institusi (lapas/rutan, klinik)"),
    NOT_KNOWN: UNKNOWN,
}
INSTITUTION = "3"
YES_NO = {"1": gettext_lazy("Ya"), "2": gettext_lazy("Tidak"), NOT_KNOWN: UNKNOWN}
# The protocol's second and third codes (other EU, non-EU) read here as "foreign".
NATIONALITY = {
    "1": gettext_lazy("Warga negara Indonesia"),
    "2": gettext_lazy("Warga negara asing"),
    NOT_KNOWN: UNKNOWN,
}
LABOUR = {
    "1": gettext_lazy("Bekerja tetap"),
    "2": gettext_lazy("Pelajar/mahasiswa"),
    "3": gettext_lazy("Bekerja tidak tetap"),
    "4": gettext_lazy("Tidak bekerja"),
    "5": gettext_lazy("Pensiunan/ibu rumah tangga/penerima bantuan"),
    "6": gettext_lazy("Lainnya"),
    NOT_KNOWN: UNKNOWN,
}
# Words of the SDP occupation text, first match wins; any other occupation is regular work.
LABOUR_WORDS = (
    ("2", ("pelajar", "mahasiswa", "siswa")),
    ("4", ("tidak bekerja", "belum bekerja", "pengangguran", "menganggur")),
    ("5", ("ibu rumah tangga", "mengurus rumah tangga", "pensiun")),
    ("3", ("serabutan", "harian lepas", "buruh harian", "tidak tetap")),
)
EDUCATION = {
    "0": gettext_lazy("Tidak sekolah/tidak tamat SD"),
    "1": gettext_lazy("Pendidikan dasar (SD)"),
    "2": gettext_lazy("Menengah pertama (SMP)"),
    "3": gettext_lazy("Menengah atas (SMA/SMK)"),
    "4": gettext_lazy("Pendidikan tinggi"),
    NOT_KNOWN: UNKNOWN,
}
EDUCATION_CODE: dict[str, str] = {
    Education.NONE: "0",
    Education.SD: "1",
    Education.SMP: "2",
    Education.SMA: "3",
    Education.DIPLOMA: "4",
    Education.S1: "4",
    Education.POSTGRAD: "4",
}
# Drug groups of the protocol; ASSIST names groups, never the exact drug. Alcohol is reported
# only as a secondary drug; tobacco not at all.
DRUGS = {
    "1": gettext_lazy("Opioid"),
    "2": gettext_lazy("Kokain"),
    "3": gettext_lazy("Stimulan selain kokain"),
    "4": gettext_lazy("Hipnotik dan sedativa"),
    "5": gettext_lazy("Halusinogen"),
    "6": gettext_lazy("Inhalansia"),
    "7": gettext_lazy("Kanabis"),
    "8": gettext_lazy("Zat lain"),
    "9": gettext_lazy("Alkohol"),
    NOT_KNOWN: UNKNOWN,
}
DRUG_CODE: dict[str, str] = {
    Substance.OPIOIDS: "1",
    Substance.COCAINE: "2",
    Substance.AMPHETAMINES: "3",
    Substance.SEDATIVES: "4",
    Substance.HALLUCINOGENS: "5",
    Substance.INHALANTS: "6",
    Substance.CANNABIS: "7",
    Substance.OTHER: "8",
    Substance.ALCOHOL: "9",
}
ROUTES = {
    "1": gettext_lazy("Suntik"),
    "2": gettext_lazy("Dihisap/dihirup uapnya"),
    "3": gettext_lazy("Ditelan/diminum"),
    "4": gettext_lazy("Dihirup lewat hidung"),
    "5": gettext_lazy("Lainnya"),
    NOT_KNOWN: UNKNOWN,
}
ROUTE_CODE: dict[str, str] = {
    Route.INJECTED: "1",
    Route.SMOKED: "2",
    Route.INHALED: "2",
    Route.ORAL: "3",
    Route.SNORTED: "4",
    Route.OTHER: "5",
}
FREQUENCY = {
    "1": gettext_lazy("Setiap hari"),
    "2": gettext_lazy("4-6 hari seminggu"),
    "3": gettext_lazy("2-3 hari seminggu"),
    "4": gettext_lazy("Seminggu sekali atau kurang"),
    "5": gettext_lazy("Tidak memakai dalam 30 hari terakhir"),
    NOT_KNOWN: UNKNOWN,
}
# ASSIST Q2 asks about three months, TDI about 30 days: "daily" and "never" carry over; weekly,
# monthly and once or twice are read as "once a week or less" (the coarsest true code).
FREQUENCY_CODE = {
    "daily": "1",
    "weekly": "4",
    "monthly": "4",
    "once_or_twice": "4",
    "never": "5",
}
# Q8 (ever injected, recently): TDI's ever injected, injected in the last 12 months and in the
# last 30 days. "In the past three months" is within 12 months; not within 30 days unknown.
EVER_INJECTED = {
    "1": gettext_lazy("Pernah menyuntik"),
    "2": gettext_lazy("Tidak pernah menyuntik"),
    NOT_KNOWN: UNKNOWN,
}
INJECTED: dict[str, tuple[str, str, str]] = {
    Injection.NO: ("2", "2", "2"),
    Injection.PAST_3_MONTHS: ("1", "1", NOT_KNOWN),
    Injection.NOT_PAST_3_MONTHS: ("1", NOT_KNOWN, "2"),
}

ITEMS: tuple[Item, ...] = (
    Item("client_code", gettext_lazy("Kode klien (pseudonim)")),
    Item("centre_type", gettext_lazy("Jenis unit layanan"), CENTRE_TYPES),
    Item("treatment_start", gettext_lazy("Tanggal mulai perawatan")),
    Item("previously_treated", gettext_lazy("Pernah dirawat sebelumnya"), PREVIOUSLY_TREATED),
    Item("referral", gettext_lazy("Sumber rujukan"), REFERRAL),
    Item("sex", gettext_lazy("Jenis kelamin"), SEX),
    Item("age", gettext_lazy("Usia saat mulai perawatan")),
    Item("living_with", gettext_lazy("Tinggal bersama"), LIVING_WITH),
    Item("living_where", gettext_lazy("Tempat tinggal"), LIVING_WHERE),
    Item("living_with_children", gettext_lazy("Tinggal bersama anak"), YES_NO),
    Item("nationality", gettext_lazy("Kewarganegaraan"), NATIONALITY),
    Item("labour", gettext_lazy("Status pekerjaan"), LABOUR),
    Item("education", gettext_lazy("Pendidikan tertinggi"), EDUCATION),
    Item("primary_drug", gettext_lazy("Zat utama"), DRUGS),
    Item("route", gettext_lazy("Cara pakai zat utama"), ROUTES, health=True),
    Item("frequency", gettext_lazy("Frekuensi pakai zat utama (30 hari)"), FREQUENCY, health=True),
    Item("age_first_use", gettext_lazy("Usia pertama memakai zat utama"), health=True),
    *(
        Item(f"secondary_{n}", gettext_lazy("Zat sekunder %(n)d") % {"n": n}, DRUGS)
        for n in range(1, SECONDARY_SLOTS + 1)
    ),
    Item("polydrug", gettext_lazy("Pemakaian banyak zat"), YES_NO),
    Item("ever_injected", gettext_lazy("Pernah menyuntik"), EVER_INJECTED, health=True),
    Item("injected_12_months", gettext_lazy("Menyuntik 12 bulan terakhir"), YES_NO, health=True),
    Item("injected_30_days", gettext_lazy("Menyuntik 30 hari terakhir"), YES_NO, health=True),
    Item("age_first_injection", gettext_lazy("Usia pertama menyuntik"), health=True),
    Item("shared_needles", gettext_lazy("Pernah berbagi alat suntik"), YES_NO, health=True),
    Item("opioid_substitution", gettext_lazy("Pernah terapi rumatan opioid"), YES_NO),
)
# Items rehab does not hold: always written as 99.
NOT_HELD = (
    "referral",
    "living_with",
    "living_with_children",
    "age_first_injection",
    "shared_needles",
    "opioid_substitution",
)


def items(*, health: bool) -> list[Item]:
    """The items written for a reader: without the health items unless they may see them."""
    return [item for item in ITEMS if health or not item.health]


def client_code(inmate: Inmate) -> str:
    """A pseudonymous code of the person: the same for every record of them (NIK, else the
    name key and birth date), never revealing the name or the registration number."""
    if inmate.nik:
        person = f"nik:{inmate.nik}"
    elif inmate.birth_date:
        person = f"name:{name_key(inmate.full_name)}:{inmate.birth_date.isoformat()}"
    else:
        person = f"record:{inmate.pk}"
    return salted_hmac("rehab.reports.tdi", person).hexdigest()[:12].upper()


def labour_code(occupation: str) -> str:
    text = occupation.strip().lower()
    if not text:
        return NOT_KNOWN
    for code, words in LABOUR_WORDS:
        if any(word in text for word in words):
            return code
    return "1"


def nationality_code(nationality: str) -> str:
    text = nationality.strip().lower()
    if not text:
        return NOT_KNOWN
    return "1" if text in {"indonesia", "wni", "warga negara indonesia"} else "2"


def _number(value: int | None) -> str:
    return NOT_KNOWN if value is None else str(value)


def _entrants(facility: Facility, start: datetime.date, end: datetime.date) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(
            facility_id=facility.pk,
            started_on__gte=start,
            started_on__lt=end,
            replaces__isnull=True,
        )
        .exclude(state=EnrolmentState.REJECTED)
        .select_related("inmate", "assessment")
        .order_by("started_on", "id")
    )


def rows(
    facility: Facility, start: datetime.date, end: datetime.date, *, health: bool
) -> list[dict[str, str]]:
    """The TDI rows of the facility's entrants of [start, end), keyed by item (6 queries at
    most, whatever the count; none after the first when there is no entrant)."""
    entrants = _entrants(facility, start, end)
    if not entrants:
        return []
    ids = {e.inmate_id for e in entrants}
    last_start = max(e.started_on for e in entrants if e.started_on)
    # Each WBP has a handful of screenings: the newest on or before each start is picked here.
    screenings: dict[int, list[AssistScreening]] = {}
    for interview in (
        AssistScreening.objects.filter(inmate_id__in=ids, interviewed_on__lte=last_start)
        .prefetch_related("answers")
        .order_by("interviewed_on", "id")
    ):
        screenings.setdefault(interview.inmate_id, []).append(interview)
    # Earlier programmes of the same person: this record and its earlier episodes' records.
    episodes = {e.inmate_id: e.inmate.previous_episode_id for e in entrants}
    earlier_ids = ids | {p for p in episodes.values() if p}
    started: dict[int, list[datetime.date]] = {}
    for inmate_id, first in (
        Enrolment.objects.filter(inmate_id__in=earlier_ids, started_on__isnull=False)
        .exclude(state=EnrolmentState.REJECTED)
        .values_list("inmate_id", "started_on")
    ):
        if first is not None:
            started.setdefault(inmate_id, []).append(first)
    uses = {
        a.pk: list(a.substance_uses.all())
        for a in Assessment.objects.filter(pk__in={e.assessment_id for e in entrants})
        .prefetch_related("substance_uses")
        .only("id")
    }
    found = []
    for enrolment in entrants:
        inmate = enrolment.inmate
        day = enrolment.started_on
        assert day is not None
        screening = next(
            (s for s in reversed(screenings.get(inmate.pk, [])) if s.interviewed_on <= day), None
        )
        history = uses.get(enrolment.assessment_id, [])
        earlier = [d for d in started.get(inmate.pk, []) if d < day]
        earlier += started.get(episodes[inmate.pk] or 0, [])
        found.append(
            _row(enrolment, inmate, screening, history, previously=bool(earlier), health=health)
        )
    return found


def _row(
    enrolment: Enrolment,
    inmate: Inmate,
    screening: AssistScreening | None,
    history: list[Any],
    *,
    previously: bool,
    health: bool,
) -> dict[str, str]:
    day = enrolment.started_on
    assert day is not None
    answers = {a.substance: a for a in screening.answers.all()} if screening else {}
    main = screening.main_substance if screening else ""
    if not main and health and history:
        main = history[0].substance
    use = next((u for u in history if u.substance == main), None)
    secondary = sorted(
        (
            a
            for a in answers.values()
            if a.substance not in (main, Substance.TOBACCO)
            and a.q2
            and a.q2 != "never"
            and a.substance in DRUG_CODE
        ),
        key=lambda a: (-a.score, list(DRUG_CODE).index(a.substance)),
    )[:SECONDARY_SLOTS]
    slots = [DRUG_CODE[a.substance] for a in secondary]
    if screening is None:
        slots = [NOT_KNOWN] * SECONDARY_SLOTS
    slots += [""] * (SECONDARY_SLOTS - len(slots))
    injected = INJECTED.get(screening.injection) if screening else None
    ever, twelve, thirty = injected or (NOT_KNOWN, NOT_KNOWN, NOT_KNOWN)
    main_answer = answers.get(main)
    row = {
        "client_code": client_code(inmate),
        "centre_type": PRISON,
        "treatment_start": day.isoformat(),
        "previously_treated": "2" if previously else NOT_KNOWN,
        "referral": NOT_KNOWN,
        "sex": SEX_CODE.get(inmate.sex, NOT_KNOWN),
        "age": _number(inmate.age_on(day)),
        "living_with": NOT_KNOWN,
        "living_where": INSTITUTION,
        "living_with_children": NOT_KNOWN,
        "nationality": nationality_code(inmate.nationality),
        "labour": labour_code(inmate.occupation),
        "education": EDUCATION_CODE.get(inmate.education, NOT_KNOWN),
        "primary_drug": DRUG_CODE.get(main, NOT_KNOWN),
        "route": ROUTE_CODE.get(use.route, NOT_KNOWN) if use else NOT_KNOWN,
        "frequency": (FREQUENCY_CODE.get(main_answer.q2, NOT_KNOWN) if main_answer else NOT_KNOWN),
        "age_first_use": _number(use.age_first_use) if use else NOT_KNOWN,
        **{f"secondary_{n}": code for n, code in enumerate(slots, start=1)},
        "polydrug": (NOT_KNOWN if screening is None else "1" if secondary else "2"),
        "ever_injected": ever,
        "injected_12_months": twelve,
        "injected_30_days": thirty,
        "age_first_injection": NOT_KNOWN,
        "shared_needles": NOT_KNOWN,
        "opioid_substitution": NOT_KNOWN,
    }
    return {item.key: row[item.key] for item in items(health=health)}


def header(*, health: bool) -> list[str]:
    return [str(item.label) for item in items(health=health)]


def tdi_csv(facility: Facility, start: datetime.date, end: datetime.date, *, health: bool) -> str:
    """The TDI rows as CSV, UTF-8 with a byte-order mark (Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(health=health))
    for row in rows(facility, start, end, health=health):
        writer.writerow([_safe_text(value) for value in row.values()])
    return "\ufeff" + buffer.getvalue()


def tdi_xlsx(
    facility: Facility, start: datetime.date, end: datetime.date, *, health: bool
) -> bytes:
    """The TDI rows as XLSX: one sheet, the header row first, every code as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("TDI 3.0"), set()))
    sheet.append([_cell(sheet, text, bold=True) for text in header(health=health)])
    for row in rows(facility, start, end, health=health):
        sheet.append([_cell(sheet, _safe_text(value)) for value in row.values()])
    return _save(workbook)


def code_lists(*, health: bool) -> list[tuple[Item, list[tuple[str, str]], bool]]:
    """Every item with its codes and whether rehab holds it, for the export page."""
    return [
        (item, [(code, str(text)) for code, text in (item.codes or {}).items()],
         item.key not in NOT_HELD)
        for item in items(health=health)
    ]  # fmt: skip
