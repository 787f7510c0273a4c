"""Demo WBP: about 150 realistic, deterministic records per demo Rutan.

Used only by `manage.py seed_demo`. Records go through inmates.services so each one has its
admission event and audit entry; releases and transfers go through the services too, so the
custody history is the one the app would have written. Dates are relative to today, so the
demo always has tahanan awaiting trial and releases coming up.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from inmates.models import (
    Education,
    Inmate,
    RegisterClass,
    ReleaseKind,
    Religion,
    Sex,
)
from inmates.services import inmate_create, inmate_release, inmate_transfer
from rehab.models import Facility

if TYPE_CHECKING:
    from rehab.demo import DemoOrganisation

WBP_PER_FACILITY = 150
RELEASED_PER_FACILITY = 10
TRANSFERRED_PER_FACILITY = 5


@dataclass(frozen=True)
class Group:
    """A naming tradition: given names, second names, birth places and the usual religion."""

    weight: int
    male: Sequence[str]
    male_second: Sequence[str]
    female: Sequence[str]
    female_second: Sequence[str]
    birth_places: Sequence[str]
    religions: Sequence[tuple[str, int]] = ((Religion.ISLAM, 1),)


@dataclass(frozen=True)
class Region:
    """Everything about a demo Rutan's catchment area that shows in its WBP records."""

    seed: str
    nik_regency: str  # first four NIK digits of the home regency
    regency: str
    # kecamatan name -> (Kemendagri kecamatan code, villages, streets in town or empty)
    districts: dict[str, tuple[str, Sequence[str], Sequence[str]]]
    town_district: str
    # Some WBP come from neighbouring regencies: (regency, NIK prefix, weight).
    other_regencies: Sequence[tuple[str, str, int]]
    court_code: str
    groups: Sequence[Group]
    occupations_male: Sequence[tuple[str, int]]
    occupations_female: Sequence[tuple[str, int]]
    aliases_male: Sequence[str]
    aliases_female: Sequence[str]
    # Main article of the case: 127 (user), 112 (possession), 114 (dealing), 111 (plant).
    article_weights: Sequence[tuple[str, int]] = (("127", 35), ("112", 35), ("114", 28))


JAVANESE_MALE = [
    "Agus", "Bambang", "Budi", "Dwi", "Eko", "Joko", "Slamet", "Sugeng", "Teguh", "Tri",
    "Wahyu", "Yoga", "Rudi", "Sigit", "Untung", "Hendra", "Bayu", "Danang", "Dimas", "Fajar",
    "Aditya", "Rizal", "Imam", "Nur", "Ahmad", "Muhammad", "Arif", "Heri", "Puji", "Sutrisno",
    "Suparman", "Sugiyono", "Wahyudi", "Yusuf", "Anton", "Galih", "Ilham", "Kurniawan", "Nanang",
    "Catur", "Gilang", "Rohmat", "Tarno", "Waluyo", "Darsono", "Miftahul",
]  # fmt: skip
JAVANESE_MALE_SECOND = [
    "Santoso", "Setiawan", "Prasetyo", "Susilo", "Wibowo", "Purnomo", "Nugroho", "Hidayat",
    "Saputra", "Riyadi", "Susanto", "Cahyono", "Hartono", "Wijaya", "Kurniawan", "Pratama",
    "Mustofa", "Arifin", "Kholis", "Syafii", "Setiadi", "Gunawan", "Raharjo", "Sulistyo",
    "Utomo", "Widodo", "Firmansyah", "Maulana", "Aji", "Triyono", "Suryanto", "Haryanto",
    "Setyawan", "Prabowo", "Wicaksono", "Ardiansyah", "Rohman", "Huda",
]  # fmt: skip
JAVANESE_FEMALE = [
    "Siti", "Sri", "Dwi", "Tri", "Nur", "Endang", "Dewi", "Rina", "Eka", "Yuli", "Ani", "Wulan",
]  # fmt: skip
JAVANESE_FEMALE_SECOND = [
    "Lestari", "Rahayu", "Wahyuni", "Khotimah", "Fadilah", "Wulandari", "Susilowati",
    "Handayani", "Astuti", "Purwanti", "Setyaningsih", "Kurniasih", "Mulyani", "Ningsih",
]  # fmt: skip

BANJAR_MALE = [
    "Muhammad", "Ahmad", "Abdul", "Syahrani", "Rusdiansyah", "Mahyuni", "Fahrurrazi",
    "Rahmadi", "Hairul", "Jumberi", "Masrani", "Hamdani", "Saukani", "Bahrani", "Riduan",
    "Gazali", "Norhadi", "Syarifuddin", "Murjani", "Rizky", "Fauzan", "Akhmad", "Noor",
    "Samsul", "Zainal", "Hasbi", "Irwansyah", "Aidil", "Yusran", "Khairil",
]  # fmt: skip
BANJAR_MALE_SECOND = [
    "Noor", "Rahman", "Fauzi", "Anwar", "Yani", "Rifani", "Ansyari", "Hadi", "Rasyid",
    "Hidayat", "Syahputra", "Maulana", "Ramadhan", "Saputra", "Arsyad", "Hakim", "Fadillah",
    "Effendi", "Sofyan", "Mahmud", "Ridha", "Gazali", "Akbar", "Aziz",
]  # fmt: skip
BANJAR_FEMALE = ["Siti", "Nor", "Rahmah", "Fitri", "Mariana", "Masitah", "Nur", "Rusmini"]
BANJAR_FEMALE_SECOND = [
    "Hayati", "Aisyah", "Aminah", "Rahmawati", "Fitriani", "Jannah", "Hasanah", "Zubaidah",
]  # fmt: skip

PASER_MALE = [
    "Aji", "Ardiansyah", "Kasmadi", "Jamrin", "Sahran", "Darman", "Iskandar", "Ardi",
    "Mukran", "Rusliansyah", "Nasrun", "Jainuddin", "Herliansyah", "Hendrik", "Sabransyah",
]  # fmt: skip
PASER_MALE_SECOND = [
    "Saputra", "Iskandar", "Syahrir", "Rahman", "Ramadhan", "Effendi", "Muhammad Said",
    "Ismail", "Alamsyah", "Kurniawan", "Hamzah", "Yusuf",
]  # fmt: skip
PASER_FEMALE = ["Mardiana", "Sarmila", "Ratna", "Yuliana", "Hartini"]
PASER_FEMALE_SECOND = ["Sari", "Ningsih", "Wati", "Dewi", "Yanti"]

BUGIS_MALE = [
    "Andi", "Muh.", "Ambo", "Baharuddin", "Hasanuddin", "Nasruddin", "Amiruddin", "Sudirman",
    "Jumadil", "Herman", "Rusdi", "Syamsul", "Arfan", "Risal", "Ikbal", "Takdir", "Ramli",
    "Sahabuddin", "Kamaruddin", "Asri",
]  # fmt: skip
BUGIS_MALE_SECOND = [
    "Saputra", "Irwan", "Arsyad", "Bahri", "Upe", "Tuwo", "Rahman", "Alimuddin", "Ahmad",
    "Lamba", "Syahrir", "Makkasau", "Wahid", "Hamzah", "Jufri", "Mappanyukki", "Tahir",
]  # fmt: skip
BUGIS_FEMALE = ["Andi", "Hasnah", "Nurhayati", "Sitti", "Rosmiati"]
BUGIS_FEMALE_SECOND = ["Nurhaliza", "Ramlah", "Sahriani", "Hasanah", "Bahtiar"]

DAYAK_MALE = [
    "Yohanes", "Markus", "Petrus", "Lukas", "Stefanus", "Yulius", "Ignatius", "Paulus",
    "Antonius", "Fransiskus", "Dominikus", "Benediktus",
]  # fmt: skip
DAYAK_MALE_SECOND = [
    "Ading", "Ngau", "Lusang", "Jalung", "Ubang", "Lahang", "Anyeq", "Bilung", "Idang",
    "Hanyeq", "Laing", "Ajang",
]  # fmt: skip
DAYAK_FEMALE = ["Maria", "Yosefina", "Agustina"]
DAYAK_FEMALE_SECOND = ["Lidya", "Ubung", "Ping"]

BALI_MALE = ["I Wayan", "I Made", "I Nyoman", "I Ketut", "I Putu", "I Gede"]
BALI_MALE_SECOND = ["Sudarma", "Arsana", "Suartika", "Widiana", "Mertayasa", "Sukadana"]
BALI_FEMALE = ["Ni Luh", "Ni Made", "Ni Ketut"]
BALI_FEMALE_SECOND = ["Sriasih", "Ariani", "Sukerti"]

# The region tables read best as tables, one district or group per line.
# fmt: off
TANAH_GROGOT = Region(
    seed="rehab-demo-tanah-grogot",
    nik_regency="6401",
    regency="Kabupaten Paser",
    districts={
        "Batu Sopang": ("01", ["Kasungai", "Batu Sopang", "Rantau Buta", "Batu Kajang"], []),
        "Tanjung Harapan": ("02", ["Labuangkallo", "Selengot", "Tanjung Aru"], []),
        "Pasir Belengkong": ("03", ["Pasir Belengkong", "Suweto", "Laburan", "Sangkuriman"], []),
        "Tanah Grogot": (
            "04",
            ["Tanah Grogot", "Tapis", "Jone", "Senaken", "Janju", "Pepara", "Sempulang",
             "Padang Pengrapat", "Tepian Batang"],
            ["Jl. Ahmad Yani", "Jl. Jenderal Sudirman", "Jl. Kusuma Bangsa",
             "Jl. Sultan Ibrahim Khaliluddin", "Jl. R.A. Kartini", "Jl. Noto Sunardi"],
        ),
        "Kuaro": ("05", ["Kuaro", "Padang Jaya", "Pondong Baru", "Harapan Baru"], []),
        "Long Ikis": ("06", ["Long Ikis", "Pait", "Sawit Jaya", "Tajer Mulya"], []),
        "Muara Komam": ("07", ["Muara Komam", "Prayon", "Uko"], []),
        "Long Kali": ("08", ["Long Kali", "Muara Toyu", "Sebakung", "Pinang Jatus"], []),
        "Batu Engau": ("09", ["Batu Engau", "Songka", "Mendik"], []),
        "Muara Samu": ("10", ["Muser", "Luan", "Rantau Atas"], []),
    },
    town_district="Tanah Grogot",
    other_regencies=[
        ("Kabupaten Penajam Paser Utara", "6409", 4),
        ("Kota Balikpapan", "6471", 3),
        ("Kabupaten Tabalong", "6309", 2),
        ("Kabupaten Kotabaru", "6302", 1),
    ],
    court_code="Tgt",
    groups=[
        Group(
            35, BANJAR_MALE, BANJAR_MALE_SECOND, BANJAR_FEMALE, BANJAR_FEMALE_SECOND,
            ["Tanah Grogot", "Banjarmasin", "Kandangan", "Amuntai", "Barabai", "Tanjung",
             "Kotabaru", "Balikpapan"],
        ),
        Group(
            20, PASER_MALE, PASER_MALE_SECOND, PASER_FEMALE, PASER_FEMALE_SECOND,
            ["Tanah Grogot", "Paser", "Long Ikis", "Long Kali", "Batu Sopang", "Muara Komam"],
        ),
        Group(
            22, BUGIS_MALE, BUGIS_MALE_SECOND, BUGIS_FEMALE, BUGIS_FEMALE_SECOND,
            ["Bone", "Sengkang", "Sidrap", "Pare-Pare", "Pinrang", "Tanah Grogot", "Balikpapan",
             "Penajam"],
        ),
        Group(
            15, JAVANESE_MALE, JAVANESE_MALE_SECOND, JAVANESE_FEMALE, JAVANESE_FEMALE_SECOND,
            ["Kuaro", "Long Ikis", "Jember", "Banyuwangi", "Malang", "Ngawi", "Balikpapan",
             "Tanah Grogot"],
        ),
        Group(
            5, DAYAK_MALE, DAYAK_MALE_SECOND, DAYAK_FEMALE, DAYAK_FEMALE_SECOND,
            ["Muara Komam", "Long Kali", "Samarinda", "Kutai Barat", "Tanah Grogot"],
            ((Religion.CATHOLIC, 3), (Religion.PROTESTANT, 2)),
        ),
        Group(
            3, BALI_MALE, BALI_MALE_SECOND, BALI_FEMALE, BALI_FEMALE_SECOND,
            ["Long Ikis", "Kuaro", "Tabanan", "Gianyar"],
            ((Religion.HINDU, 1),),
        ),
    ],
    occupations_male=[
        ("Buruh harian lepas", 18), ("Buruh sawit", 14), ("Petani", 10), ("Nelayan", 8),
        ("Sopir", 8), ("Wiraswasta", 10), ("Tidak bekerja", 12), ("Ojek", 6),
        ("Buruh tambang", 5), ("Pedagang", 4), ("Karyawan swasta", 4), ("Tukang bangunan", 4),
    ],
    occupations_female=[
        ("Ibu rumah tangga", 5), ("Pedagang", 3), ("Tidak bekerja", 3), ("Karyawan swasta", 1),
    ],
    aliases_male=[
        "Ucok", "Bewok", "Utuh", "Anang", "Gondrong", "Kribo", "Cebol", "Botak", "Codet",
        "Jabrik", "Acil", "Gepeng", "Item", "Daeng", "Amang",
    ],
    aliases_female=["Galuh", "Ita", "Inah"],
)

BANJARNEGARA = Region(
    seed="rehab-demo-banjarnegara",
    nik_regency="3304",
    regency="Kabupaten Banjarnegara",
    districts={
        "Susukan": ("01", ["Susukan", "Gumelem Wetan", "Gumelem Kulon"], []),
        "Purwareja Klampok": ("02", ["Klampok", "Purwareja", "Kalilandak"], []),
        "Mandiraja": ("03", ["Mandiraja Kulon", "Mandiraja Wetan", "Kertayasa"], []),
        "Purwanegara": ("04", ["Purwanegara", "Gumiwang", "Kaliajir"], []),
        "Bawang": ("05", ["Bawang", "Masaran", "Pucang"], []),
        "Banjarnegara": (
            "06",
            ["Krandegan", "Kutabanjarnegara", "Parakancanggah", "Semarang", "Sokanandi",
             "Argasoka", "Ampelsari"],
            ["Jl. Pemuda", "Jl. Letjend. S. Parman", "Jl. Dipayuda", "Jl. Selamanik",
             "Jl. Mayjend. Panjaitan", "Jl. Veteran"],
        ),
        "Sigaluh": ("07", ["Sigaluh", "Prigi", "Kemiri"], []),
        "Madukara": ("08", ["Madukara", "Kenteng", "Pekauman"], []),
        "Banjarmangu": ("09", ["Banjarmangu", "Sijeruk", "Beji"], []),
        "Wanadadi": ("10", ["Wanadadi", "Medayu", "Kandangwangi"], []),
        "Rakit": ("11", ["Rakit", "Lengkong", "Pingit"], []),
        "Punggelan": ("12", ["Punggelan", "Karangsari", "Tribuana"], []),
        "Karangkobar": ("13", ["Karangkobar", "Leksana", "Sampang"], []),
        "Batur": ("16", ["Batur", "Dieng Kulon", "Sumberejo"], []),
        "Wanayasa": ("17", ["Wanayasa", "Pagergunung", "Karangtengah"], []),
        "Kalibening": ("18", ["Kalibening", "Majatengah", "Sembawa"], []),
    },
    town_district="Banjarnegara",
    other_regencies=[
        ("Kabupaten Purbalingga", "3303", 3),
        ("Kabupaten Wonosobo", "3307", 3),
        ("Kabupaten Banyumas", "3302", 2),
    ],
    court_code="Bnr",
    groups=[
        Group(
            97, JAVANESE_MALE, JAVANESE_MALE_SECOND, JAVANESE_FEMALE, JAVANESE_FEMALE_SECOND,
            ["Banjarnegara", "Banjarnegara", "Banjarnegara", "Purbalingga", "Wonosobo",
             "Banyumas", "Purwokerto", "Kebumen", "Cilacap", "Jakarta", "Semarang"],
        ),
        # A few Christian Javanese (GKJ) and Catholics: same names, other religion.
        Group(
            3, JAVANESE_MALE, JAVANESE_MALE_SECOND, JAVANESE_FEMALE, JAVANESE_FEMALE_SECOND,
            ["Banjarnegara", "Purwokerto", "Semarang"],
            ((Religion.PROTESTANT, 2), (Religion.CATHOLIC, 1)),
        ),
    ],
    occupations_male=[
        ("Petani", 18), ("Buruh harian lepas", 18), ("Sopir", 8), ("Wiraswasta", 10),
        ("Tidak bekerja", 12), ("Ojek", 6), ("Pedagang", 6), ("Karyawan swasta", 6),
        ("Tukang bangunan", 6), ("Buruh pabrik", 4),
    ],
    occupations_female=[
        ("Ibu rumah tangga", 5), ("Pedagang", 3), ("Tidak bekerja", 2), ("Buruh pabrik", 2),
    ],
    aliases_male=[
        "Bewok", "Gondrong", "Kribo", "Tole", "Gareng", "Petruk", "Bagong", "Cebol", "Botak",
        "Gembus", "Kempleng", "Jabrik", "Mbah", "Ucok",
    ],
    aliases_female=["Neng", "Ita", "Menik"],
    article_weights=(("127", 35), ("112", 33), ("114", 28), ("111", 4)),
)
# fmt: on

REGIONS = {"tanah-grogot": TANAH_GROGOT, "banjarnegara": BANJARNEGARA}

EDUCATION_WEIGHTS = [
    (Education.NONE, 3), (Education.SD, 25), (Education.SMP, 30), (Education.SMA, 37),
    (Education.DIPLOMA, 2), (Education.S1, 3),
]  # fmt: skip

# Register class of the WBP still in custody: tahanan awaiting trial, then short and long
# sentences. Released and transferred WBP are always B.I.
CLASS_WEIGHTS = [
    (RegisterClass.B_I, 70),
    (RegisterClass.B_IIA, 8),
    (RegisterClass.A_II, 8),
    (RegisterClass.A_III, 14),
]
REG_PREFIX = {
    RegisterClass.B_I: "BI",
    RegisterClass.B_IIA: "BIIa",
    RegisterClass.A_II: "AII",
    RegisterClass.A_III: "AIII",
}
# Sentence ranges in months by main article, as PN judgements usually fall.
SENTENCE_MONTHS = {"127": (13, 42), "111": (48, 84), "112": (48, 96), "114": (60, 120)}
SOON_SHARE = 0.25  # share of sentenced WBP whose release falls in the next 90 days

TRANSFER_REASONS = [
    "Pemindahan narapidana narkotika ke Lapas Narkotika (pidana panjang).",
    "Overkapasitas hunian Rutan; pemindahan berdasarkan keputusan Kanwil.",
    "Pembinaan lanjutan di Lapas sesuai hasil sidang TPP.",
]


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    """Return one value of (value, weight) pairs."""
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Add calendar months, clamping to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class _Generator:
    """Draws the fields of one facility's WBP from a seeded random source."""

    region: Region
    today: datetime.date
    rng: random.Random = field(init=False)
    niks: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    verdicts: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.region.seed)

    def person(self, sex: str) -> dict[str, Any]:
        """Identity fields: name, alias, NIK, birth, religion, schooling, work, address."""
        rng, region = self.rng, self.region
        group: Group = _pick(rng, [(g, g.weight) for g in region.groups])
        male = sex == Sex.MALE
        while True:
            first = rng.choice(group.male if male else group.female)
            second = rng.choice(group.male_second if male else group.female_second)
            name = f"{first} {second}"
            if first != second and name not in self.names:
                break
        self.names.add(name)
        aliases = ""
        if rng.random() < 0.22:
            aliases = rng.choice(region.aliases_male if male else region.aliases_female)
        birth_date = datetime.date(
            round(rng.triangular(1970, 2005, 1992)), rng.randint(1, 12), rng.randint(1, 28)
        )
        occupations = region.occupations_male if male else region.occupations_female
        if rng.random() < 0.87:
            origin, nik_regency = region.regency, region.nik_regency
            district = rng.choice(list(region.districts))
            code, villages, streets = region.districts[district]
            address = self._address(district, rng.choice(villages), streets)
        else:
            origin, nik_regency, _weight = _pick(rng, [(r, r[2]) for r in region.other_regencies])
            code = f"{rng.randint(1, 9):02d}"
            address = f"RT {rng.randint(1, 20):03d}/RW {rng.randint(1, 8):03d}, {origin}"
        nik = self._nik(nik_regency + code, birth_date, male) if rng.random() < 0.8 else ""
        return {
            "full_name": name,
            "aliases": aliases,
            "nik": nik,
            "sex": sex,
            "birth_place": rng.choice(group.birth_places),
            "birth_date": birth_date,
            "religion": _pick(rng, group.religions),
            "education": _pick(rng, EDUCATION_WEIGHTS),
            "occupation": _pick(rng, occupations),
            "address": address,
            "origin_regency": origin,
        }

    def _address(self, district: str, village: str, streets: Sequence[str]) -> str:
        rng = self.rng
        rt = f"RT {rng.randint(1, 25):03d}"
        if district == self.region.town_district and streets and rng.random() < 0.6:
            street = f"{rng.choice(streets)} No. {rng.randint(1, 120)}"
            return f"{street} {rt}, Kelurahan {village}, Kecamatan {district}"
        return f"{rt}, Desa {village}, Kecamatan {district}"

    def _nik(self, area: str, birth: datetime.date, male: bool) -> str:
        """Area code, DDMMYY with +40 on the day for women, and a serial number."""
        day = birth.day if male else birth.day + 40
        while True:
            nik = f"{area}{day:02d}{birth:%m%y}{self.rng.randint(1, 9999):04d}"
            if nik not in self.niks:
                self.niks.add(nik)
                return nik

    def articles(self, main: str) -> list[dict[str, Any]]:
        """Case articles of UU 35/2009 for the main charge, sometimes with jo. Pasal 132."""
        first: dict[str, Any] = {"article": main, "paragraph": "1"}
        if main == "127":
            first["letter"] = "a"
        rows = [first]
        if main != "127" and self.rng.random() < 0.2:
            rows.append({"article": "132", "paragraph": "1", "junto": True})
        return rows

    def custody(self, register_class: str, main: str, fate: str) -> dict[str, Any]:
        """Custody dates, verdict and sentence consistent with the class and the fate.

        fate is "custody" (release more than 90 days away), "soon" (release within 90 days)
        or "released" (release date in the past, within the last year).
        """
        rng, today = self.rng, self.today
        if register_class in (RegisterClass.A_II, RegisterClass.A_III):
            # Tahanan: moved here from police cells when the case went to the prosecutor;
            # A.III once the case is before the court. No verdict yet.
            ago = (
                rng.randint(2, 40) if register_class == RegisterClass.A_II else rng.randint(30, 110)
            )
            admission = today - datetime.timedelta(days=ago)
            detention = admission - datetime.timedelta(days=rng.randint(10, 45))
            return {"detention_date": detention, "admission_date": admission}

        to_verdict = rng.randint(35, 110)  # admission -> verdict
        in_police = rng.randint(15, 50)  # arrest -> admission
        for _attempt in range(50):
            if register_class == RegisterClass.B_IIA:
                months = rng.randint(6, 12)
            else:
                low, high = SENTENCE_MONTHS[main]
                # Those about to be released mostly had shorter sentences.
                months = (
                    rng.randint(low, min(high, 30)) if fate == "soon" else rng.randint(low, high)
                )
            sentence = round(months * 30.4)  # in days; expiry below uses calendar months
            remission = round(sentence * rng.uniform(0.04, 0.12)) if months > 6 else 0
            # release = detention + sentence - remission; admission = detention + in_police.
            served_to_release = sentence - remission - in_police  # admission -> release
            earliest = served_to_release - 3 * 365  # admitted at most three years ago
            latest = served_to_release - to_verdict - 7  # verdict at least a week ago
            if fate == "released":
                low_offset, high_offset = max(earliest, -330), min(latest, -7)
            elif fate == "soon":
                low_offset, high_offset = max(earliest, 3), min(latest, 90)
            else:
                low_offset, high_offset = max(earliest, 91), latest
            if low_offset <= high_offset:
                break
        else:
            raise AssertionError(f"no dates fit {register_class} {main} {fate}")
        release = today + datetime.timedelta(days=rng.randint(low_offset, high_offset))
        detention = release + datetime.timedelta(days=remission - sentence)
        admission = detention + datetime.timedelta(days=in_police)
        verdict_date = admission + datetime.timedelta(days=to_verdict)
        # Time held since arrest counts towards the sentence, so expiry runs from detention.
        expiry = _add_months(detention, months)
        return {
            "detention_date": detention,
            "admission_date": admission,
            "verdict_number": self._verdict_number(verdict_date),
            "verdict_date": verdict_date,
            "sentence_months": months,
            "expiry_date": expiry,
            "release_date": min(release, expiry),
        }

    def _verdict_number(self, verdict_date: datetime.date) -> str:
        """A PN case number, roughly in order through the year the case was registered."""
        registered = verdict_date - datetime.timedelta(days=30)
        base = max(1, round(registered.timetuple().tm_yday / 366 * 240))
        number = base
        while f"{number}/{registered.year}" in self.verdicts:
            number += 1
        self.verdicts.add(f"{number}/{registered.year}")
        return f"{number}/Pid.Sus/{registered.year}/PN {self.region.court_code}"

    def place(self, register_class: str, sex: str) -> dict[str, str]:
        """Block and cell: women in D, tahanan in A, narapidana in B and C."""
        if sex == Sex.FEMALE:
            block = "D"
        elif register_class.startswith("A"):
            block = "A"
        else:
            block = self.rng.choice("BC")
        return {"block": block, "cell": str(self.rng.randint(1, 8 if block != "D" else 3))}


def _build_records(region: Region, today: datetime.date, count: int) -> list[dict[str, Any]]:
    """Draw every record of one facility, each with its fate, in register order."""
    gen = _Generator(region=region, today=today)
    rng = gen.rng
    fates = (
        ["released"] * RELEASED_PER_FACILITY
        + ["transferred"] * TRANSFERRED_PER_FACILITY
        + ["custody"] * (count - RELEASED_PER_FACILITY - TRANSFERRED_PER_FACILITY)
    )
    records: list[dict[str, Any]] = []
    for fate in fates:
        sex = Sex.FEMALE if rng.random() < 0.08 else Sex.MALE
        register_class = _pick(rng, CLASS_WEIGHTS) if fate == "custody" else RegisterClass.B_I
        dates = fate
        if fate == "custody" and register_class == RegisterClass.B_I and rng.random() < SOON_SHARE:
            dates = "soon"
        elif fate == "transferred":
            dates = "custody"
        if fate == "transferred":
            main = rng.choice(["112", "114"])  # long sentences are what gets moved to a Lapas
        elif dates in ("released", "soon") or register_class == RegisterClass.B_IIA:
            # Only user sentences (Pasal 127) are short enough to end within three years of
            # admission, and only they fall under a year.
            main = "127"
        else:
            main = _pick(rng, region.article_weights)
        data = gen.person(sex)
        data["register_class"] = register_class
        data.update(gen.custody(register_class, main, dates))
        data.update(gen.place(register_class, sex))
        records.append({"data": data, "articles": gen.articles(main), "fate": fate})

    # Registration numbers run per class and year in date order, as a register book does, with
    # gaps for the WBP who came and went before the demo's window. A tahanan gets a B number
    # on the verdict, so B numbers follow the verdict year.
    def register_day(record: dict[str, Any]) -> datetime.date:
        return record["data"].get("verdict_date") or record["data"]["admission_date"]

    records.sort(key=lambda r: (register_day(r), r["data"]["full_name"]))
    counters: dict[tuple[str, int], int] = {}
    for record in records:
        key = (REG_PREFIX[record["data"]["register_class"]], register_day(record).year)
        counters[key] = counters.get(key, rng.randint(0, 9)) + rng.randint(1, 3)
        record["data"]["registration_number"] = f"{key[0]}.{counters[key]:03d}/{key[1]}"
    return records


def _release(inmate: Inmate, *, by: Any, rng: random.Random) -> None:
    """Release at the end of the sentence, or earlier on parole (PB) or conditional leave (CB)."""
    assert inmate.release_date and inmate.detention_date and inmate.expiry_date
    if rng.random() < 0.5:
        kind, on = ReleaseKind.END_OF_SENTENCE, inmate.release_date
        reason = "Bebas murni setelah menjalani pidana dikurangi remisi."
    else:
        # CB is for sentences up to 1 year 3 months, PB for longer ones; both after 2/3.
        short = (inmate.sentence_months or 0) <= 15
        kind = ReleaseKind.CONDITIONAL_LEAVE if short else ReleaseKind.PAROLE
        two_thirds = (inmate.expiry_date - inmate.detention_date) * 2 // 3
        on = inmate.detention_date + two_thirds + datetime.timedelta(days=rng.randint(0, 20))
        on = min(on, inmate.release_date)
        reason = f"SK {kind.label} dari Ditjenpas; pembimbingan oleh Bapas."
    inmate_release(inmate=inmate, by=by, on=on, kind=kind, reason=reason)


def seed_facility_inmates(
    *,
    facility: Facility,
    by: Any,
    transfer_to: Sequence[Facility],
    count: int = WBP_PER_FACILITY,
) -> int:
    """Register the demo WBP of one facility; return how many were created.

    A facility that already holds WBP is left alone: its records may be real or edited, and
    dates move with today, so a later run would draw different registration numbers.
    """
    region = REGIONS[facility.code]
    existing = set(
        Inmate.objects.filter(facility=facility).values_list("registration_number", flat=True)
    )
    if existing:
        return 0
    today = timezone.localdate()
    records = _build_records(region, today, count)
    rng = random.Random(region.seed + "-events")
    for record in records:
        inmate = inmate_create(
            facility=facility, by=by, data=record["data"], articles=record["articles"]
        )
        if record["fate"] == "released":
            _release(inmate, by=by, rng=rng)
        elif record["fate"] == "transferred":
            on = max(inmate.verdict_date or today, today - datetime.timedelta(days=300))
            on = min(on + datetime.timedelta(days=rng.randint(14, 60)), today)
            inmate_transfer(
                inmate=inmate,
                by=by,
                to_facility=rng.choice(list(transfer_to)),
                on=on,
                reason=rng.choice(TRANSFER_REASONS),
            )
    return len(records)


def seed_inmates(org: DemoOrganisation) -> dict[str, int]:
    """Register the demo WBP of every demo Rutan; return the number created per facility code."""
    return {
        site.facility.code: seed_facility_inmates(
            facility=site.facility, by=site.staff, transfer_to=site.transfer_to
        )
        for site in org.sites
    }
