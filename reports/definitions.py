"""What every figure of a report means, written once: its label, what it counts and its unit.

The PDF templates, the XLSX/CSV export, the report page, the roll-up and the "Definisi" page all
read the labels here (issue 16 point 2). A figure is named by its family (the key under
figures["indicators"], figures["outcomes"] or "trend") and its key in that family, as
reports.indicators writes them. Nested keys repeat a family's own figures (a track of the
programme, a tier of the completion, a month of the post-release outcomes) and are named as
those. The values inside a breakdown ("L", "berat", "month_3") are categories, labelled from
the stored choices in CATEGORIES.

Every date below is the day the event happened, never the day it was typed in; a period is the
first to the last day of the month (quarter, year), and a time is placed in the period by the
facility's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Analyte, HealthScreening, Injection, RiskLevel, Substance, Tier
from inmates.models import Sex
from programs.models import CourseKind, DropReason, Outcome, SessionKind, TrackKind

ORANG = _("orang")
SESI = _("sesi")
TES = _("tes")
KEIKUTSERTAAN = _("keikutsertaan")
CATATAN = _("catatan kehadiran")
PEMANTAUAN = _("pemantauan")
PERSEN = "%"
RUPIAH = "Rp"


@dataclass(frozen=True)
class Definition:
    """One figure: the label printed beside it everywhere, what it counts, its unit, and a
    shorter label for a narrow column (the label itself when there is none)."""

    family: str
    key: str
    label: Promise
    definition: Promise
    unit: Promise | str
    short_label: Promise | None = None

    @property
    def short(self) -> Promise:
        return self.short_label or self.label

    @property
    def is_rate(self) -> bool:
        return self.unit == PERSEN


# The titles of the families, in the order of the reports.
FAMILY_TITLES: dict[str, Promise] = {
    "admissions": _("Penerimaan WBP"),
    "screening": _("Skrining ASSIST"),
    "assessment": _("Asesmen"),
    "programme": _("Peserta program"),
    "sessions": _("Sesi dan kehadiran"),
    "urine": _("Tes urine"),
    "skills": _("Pembinaan kemandirian"),
    "aftercare": _("Pascarehabilitasi"),
    "health": _("Kesehatan"),
    "completion": _("Penyelesaian program"),
    "tier_change": _("Perubahan tingkat keparahan"),
    "post_release": _("Hasil pascabebas"),
    "trend": _("Tren bulanan"),
}


def _d(
    family: str, key: str, label: Promise, definition: Promise, unit: Any, short: Any = None
) -> Definition:
    return Definition(family, key, label, definition, unit, short)


_ALL = [
    # --- admissions
    _d(
        "admissions",
        "admitted",
        _("WBP baru masuk"),
        _(
            "WBP UPT ini yang tanggal masuknya (tanggal penerimaan, bukan tanggal pencatatan) "
            "jatuh dalam periode."
        ),
        ORANG,
        _("WBP baru"),
    ),
    _d(
        "admissions",
        "by_sex",
        _("Menurut jenis kelamin"),
        _("WBP baru masuk yang sama, dibagi menurut jenis kelamin yang tercatat."),
        ORANG,
    ),
    # --- screening
    _d(
        "screening",
        "screened",
        _("WBP diskrining ASSIST"),
        _(
            "WBP yang diwawancarai dengan ASSIST di UPT ini dengan tanggal wawancara dalam "
            "periode; WBP yang diskrining lebih dari sekali dihitung sekali, dengan skrining "
            "terakhirnya."
        ),
        ORANG,
        _("Diskrining"),
    ),
    _d(
        "screening",
        "by_band",
        _("Menurut tingkat risiko zat utama"),
        _(
            "WBP diskrining menurut tingkat risiko zat utama skrining terakhirnya. Zat utama "
            "dipilih menurut tingkat risiko tertinggi, lalu skor tertinggi, tanpa tembakau; "
            "skrining yang hanya tembakau berskor dihitung dengan tingkat risiko tembakau, yang "
            "tanpa zat berskor dihitung risiko rendah."
        ),
        ORANG,
    ),
    _d(
        "screening",
        "by_substance",
        _("Menurut zat utama dan tingkat risiko"),
        _(
            "WBP diskrining menurut zat utama dan tingkat risikonya. “Hanya tembakau”: "
            "hanya tembakau yang berskor (ditampilkan terpisah, tidak sebagai “tanpa "
            "zat”); “Tidak memakai zat”: tidak ada zat yang berskor."
        ),
        ORANG,
    ),
    _d(
        "screening",
        "injecting",
        _("Pengguna suntik (Q8)"),
        _(
            "WBP diskrining yang pada pertanyaan 8 ASSIST menjawab pernah memakai dengan cara "
            "suntik, dalam 3 bulan terakhir atau sebelumnya."
        ),
        ORANG,
    ),
    _d(
        "screening",
        "injecting_by_recency",
        _("Pengguna suntik menurut waktu"),
        _(
            "Pengguna suntik yang sama, dibagi menjadi dalam 3 bulan terakhir dan tidak dalam "
            "3 bulan terakhir."
        ),
        ORANG,
    ),
    # --- assessment
    _d(
        "assessment",
        "assessed",
        _("WBP diasesmen"),
        _(
            "WBP dengan asesmen yang ditandatangani dan berlaku (versi yang sudah diganti tidak "
            "dihitung) dengan tanggal asesmen dalam periode; WBP yang diasesmen lebih dari sekali "
            "dihitung sekali, dengan asesmen terakhirnya."
        ),
        ORANG,
        _("Diasesmen"),
    ),
    _d(
        "assessment",
        "by_tier",
        _("Menurut tingkat keparahan"),
        _("WBP diasesmen menurut tingkat keparahan akhir asesmen terakhirnya."),
        ORANG,
    ),
    _d(
        "assessment",
        "by_diagnosis",
        _("Menurut kelompok diagnosis (ICD-10)"),
        _(
            "WBP diasesmen menurut tiga karakter pertama kode diagnosis (F10–F19); kode lain "  # noqa: RUF001
            "dan asesmen tanpa kode dihitung tersendiri."
        ),
        ORANG,
    ),
    # --- programme
    _d(
        "programme",
        "new",
        _("Peserta baru"),
        _(
            "Keikutsertaan program yang hari aktif pertamanya (tanggal mulai) jatuh dalam periode; "
            "pindah tingkat memulai keikutsertaan baru."
        ),
        KEIKUTSERTAAN,
        _("Baru"),
    ),
    _d(
        "programme",
        "continuing",
        _("Peserta lanjutan"),
        _("Keikutsertaan yang aktif dalam periode tetapi mulai sebelum periode."),
        KEIKUTSERTAAN,
        _("Lanjutan"),
    ),
    _d(
        "programme",
        "active",
        _("Peserta aktif"),
        _(
            "Keikutsertaan yang mulai sebelum akhir periode dan belum berakhir sebelum awal "
            "periode (aktif minimal satu hari dalam periode); WBP yang pindah tingkat dihitung "
            "pada program lama dan program baru."
        ),
        KEIKUTSERTAAN,
        _("Aktif"),
    ),
    _d(
        "programme",
        "completed",
        _("Selesai program"),
        _(
            "Keikutsertaan yang sudah dimulai dan berakhir dalam periode (tanggal berakhir) dengan "
            "status selesai."
        ),
        KEIKUTSERTAAN,
        _("Selesai"),
    ),
    _d(
        "programme",
        "dropped_out",
        _("Putus program"),
        _(
            "Keikutsertaan yang sudah dimulai dan berakhir dalam periode dengan status putus "
            "program."
        ),
        KEIKUTSERTAAN,
    ),
    _d(
        "programme",
        "changed",
        _("Pindah tingkat"),
        _("Keikutsertaan yang berakhir dalam periode karena WBP pindah ke tingkat keparahan lain."),
        KEIKUTSERTAAN,
    ),
    _d(
        "programme",
        "left_before_start",
        _("Keluar sebelum program dimulai"),
        _(
            "Keikutsertaan yang dihentikan dalam periode saat masih di daftar tunggu atau "
            "ditempatkan, sebelum hari aktif pertama."
        ),
        KEIKUTSERTAAN,
    ),
    _d(
        "programme",
        "dropped_out_by_reason",
        _("Putus program menurut alasan"),
        _("Keikutsertaan putus program yang sama, menurut alasan yang tercatat."),
        KEIKUTSERTAAN,
    ),
    _d(
        "programme",
        "by_track",
        _("Menurut tingkat keparahan dan jenis program"),
        _("Angka keikutsertaan di atas untuk setiap pasangan tingkat keparahan dan jenis program."),
        KEIKUTSERTAAN,
    ),
    # --- sessions
    _d(
        "sessions",
        "held",
        _("Sesi terlaksana"),
        _(
            "Sesi berstatus terlaksana yang waktu mulainya, menurut zona waktu UPT, jatuh dalam "
            "periode."
        ),
        SESI,
        _("Sesi"),
    ),
    _d(
        "sessions",
        "cancelled",
        _("Sesi dibatalkan"),
        _(
            "Sesi berstatus dibatalkan yang waktu mulainya, menurut zona waktu UPT, jatuh dalam "
            "periode."
        ),
        SESI,
    ),
    _d(
        "sessions",
        "by_kind",
        _("Sesi terlaksana menurut jenis"),
        _("Sesi terlaksana yang sama, menurut jenis sesi."),
        SESI,
    ),
    _d(
        "sessions",
        "attendance_marks",
        _("Catatan kehadiran pada sesi terlaksana"),
        _(
            "Semua catatan kehadiran (hadir, terlambat, izin, tidak hadir) pada sesi terlaksana "
            "dalam periode."
        ),
        CATATAN,
    ),
    _d(
        "sessions",
        "attended",
        _("Hadir (termasuk terlambat)"),
        _("Catatan kehadiran hadir atau terlambat pada sesi terlaksana dalam periode."),
        CATATAN,
    ),
    _d(
        "sessions",
        "attendance_rate",
        _("Tingkat kehadiran"),
        _(
            "(Hadir + terlambat) ÷ semua catatan kehadiran pada sesi terlaksana dalam "
            "periode; izin dihitung tidak hadir; “–” jika tidak ada catatan."  # noqa: RUF001
        ),
        PERSEN,
        _("Kehadiran"),
    ),
    # --- urine
    _d(
        "urine",
        "tests",
        _("Tes urine dilakukan"),
        _("Tes urine UPT ini dengan tanggal tes dalam periode."),
        TES,
    ),
    _d(
        "urine",
        "tested",
        _("WBP yang dites"),
        _("WBP berbeda yang menjalani tes urine dalam periode."),
        ORANG,
    ),
    _d(
        "urine",
        "positive_tests",
        _("Tes dengan hasil positif"),
        _("Tes urine dalam periode dengan sedikitnya satu parameter positif."),
        TES,
        _("Urine positif"),
    ),
    _d(
        "urine",
        "positives_by_analyte",
        _("Hasil positif per parameter"),
        _(
            "Hasil positif tes urine dalam periode per parameter; satu tes dapat positif pada "
            "beberapa parameter."
        ),
        TES,
    ),
    _d(
        "urine",
        "confirmed_positive",
        _("Uji konfirmasi: positif"),
        _("Tes urine dalam periode yang uji konfirmasi laboratoriumnya positif."),
        TES,
    ),
    _d(
        "urine",
        "confirmed_negative",
        _("Uji konfirmasi: negatif"),
        _("Tes urine dalam periode yang uji konfirmasi laboratoriumnya negatif."),
        TES,
    ),
    # --- skills
    _d(
        "skills",
        "enrolled",
        _("Peserta pelatihan yang berjalan"),
        _(
            "Peserta yang menempati tempat (mengikuti, selesai, keluar) pada pelatihan "
            "keterampilan yang berjalan dalam periode (mulai sebelum akhir periode dan selesai "
            "pada atau setelah awal periode), sedikitnya satu hari dalam periode: didaftarkan "
            "sebelum akhir periode dan tidak selesai sebelum awal periode; daftar tunggu, "
            "tawaran terbuka dan penolakan tidak dihitung."
        ),
        ORANG,
        _("Peserta"),
    ),
    _d(
        "skills",
        "registered",
        _("Pendaftaran baru dalam periode"),
        _(
            "Peserta pelatihan yang didaftarkan dalam periode (tanggal pendaftaran menurut zona "
            "waktu UPT) dan menempati atau pernah menempati tempat, apa pun jadwal pelatihannya; "
            "ditampilkan terpisah dari peserta pelatihan yang berjalan."
        ),
        ORANG,
        _("Pendaftaran baru"),
    ),
    _d(
        "skills",
        "completed",
        _("Selesai pelatihan"),
        _("Peserta pelatihan dengan tanggal selesai dalam periode dan status selesai."),
        ORANG,
        _("Selesai"),
    ),
    _d(
        "skills",
        "certified",
        _("Bersertifikat (kompeten)"),
        _("Dari yang selesai pelatihan dalam periode, yang dinyatakan kompeten."),
        ORANG,
        _("Bersertifikat"),
    ),
    _d(
        "skills",
        "by_kind",
        _("Menurut jenis pelatihan"),
        _("Angka pelatihan di atas untuk setiap jenis pelatihan keterampilan."),
        ORANG,
    ),
    _d(
        "skills",
        "capital_aid",
        _("Bantuan modal usaha diterima setelah bebas"),
        _(
            "Pemantauan pascabebas yang dilakukan dalam periode (tanggal kontak) dan mencatat "
            "bantuan modal usaha."
        ),
        ORANG,
    ),
    _d(
        "skills",
        "capital_aid_amount",
        _("Nilai bantuan modal usaha"),
        _("Jumlah nilai bantuan modal usaha dari pemantauan yang sama."),
        RUPIAH,
    ),
    # --- aftercare
    _d(
        "aftercare",
        "released",
        _("WBP bebas"),
        _(
            "Peristiwa bebas dengan tanggal bebas dalam periode; WBP yang meninggal dalam tahanan "
            "tidak dihitung."
        ),
        ORANG,
        _("Bebas"),
    ),
    _d(
        "aftercare",
        "handed_over",
        _("Diserahkan ke BNNK/Bapas"),
        _(
            "Dari WBP bebas, yang rencana pembebasannya merujuk ke BNNK atau Bapas (salah satu "
            "atau keduanya)."
        ),
        ORANG,
    ),
    _d(
        "aftercare",
        "handed_to_bnnk",
        _("Dirujuk ke BNNK"),
        _("Dari WBP bebas, yang rencana pembebasannya merujuk ke BNNK."),
        ORANG,
    ),
    _d(
        "aftercare",
        "handed_to_bapas",
        _("Dirujuk ke Bapas"),
        _("Dari WBP bebas, yang rencana pembebasannya merujuk ke Bapas."),
        ORANG,
    ),
    _d(
        "aftercare",
        "follow_ups_due",
        _("Pemantauan jatuh tempo"),
        _("Pemantauan pascabebas yang tanggal jatuh temponya dalam periode."),
        PEMANTAUAN,
    ),
    _d(
        "aftercare",
        "follow_ups_done",
        _("Dari yang jatuh tempo, sudah dilakukan"),
        _(
            "Dari pemantauan jatuh tempo yang sama, yang sudah dilakukan (tanggal kontak) sebelum "
            "akhir periode, sehingga tidak pernah melebihi yang jatuh tempo."
        ),
        PEMANTAUAN,
    ),
    _d(
        "aftercare",
        "follow_ups_made",
        _("Pemantauan dilakukan dalam periode"),
        _(
            "Pemantauan pascabebas yang dilakukan (tanggal kontak, bukan tanggal pencatatan) dalam "
            "periode, kapan pun jatuh temponya."
        ),
        PEMANTAUAN,
        _("Dipantau"),
    ),
    _d(
        "aftercare",
        "done_by_month",
        _("Pemantauan dilakukan menurut bulan setelah bebas"),
        _("Pemantauan dilakukan dalam periode yang sama, menurut bulan pemantauan setelah bebas."),
        PEMANTAUAN,
    ),
    _d(
        "aftercare",
        "outcomes",
        _("Hasil pemantauan"),
        _("Pemantauan dilakukan dalam periode yang sama, menurut hasilnya."),
        PEMANTAUAN,
    ),
    _d(
        "aftercare",
        "not_relapsing_rate",
        _("Tidak relaps"),
        _(
            "Pulih ÷ (pulih + relaps + ditangkap kembali + kembali ditahan) dari pemantauan "
            "dilakukan dalam periode; yang tidak dapat dihubungi dan yang meninggal tidak "
            "dihitung."
        ),
        PERSEN,
    ),
    # --- health
    _d(
        "health",
        "screened",
        _("WBP diperiksa kesehatan"),
        _(
            "WBP berbeda dengan pemeriksaan kesehatan bertanggal periksa dalam periode; angka 1 "
            "sampai 4 ditulis “<5”."
        ),
        ORANG,
    ),
    _d(
        "health",
        "referred",
        _("Dirujuk"),
        _("Dari WBP diperiksa, yang dituliskan rujukan; angka 1 sampai 4 ditulis “<5”."),
        ORANG,
    ),
    _d(
        "health",
        "conditions",
        _("Menurut pemeriksaan"),
        _("Untuk setiap pemeriksaan, WBP yang diperiksa dan yang hasilnya reaktif/positif."),
        ORANG,
    ),
    _d(
        "health",
        "tested",
        _("Diperiksa"),
        _("WBP dengan hasil pemeriksaan tercatat (untuk gejala TB: sudah ditanyakan)."),
        ORANG,
    ),
    _d(
        "health",
        "positive",
        _("Reaktif/positif"),
        _("WBP dengan hasil reaktif (untuk gejala TB: ada gejala)."),
        ORANG,
    ),
    # --- completion (quarterly, yearly)
    _d(
        "completion",
        "completed",
        _("Selesai program"),
        _("Keikutsertaan yang sudah dimulai dan berakhir dalam periode dengan status selesai."),
        KEIKUTSERTAAN,
    ),
    _d(
        "completion",
        "dropped_out",
        _("Putus program"),
        _(
            "Keikutsertaan yang sudah dimulai dan berakhir dalam periode dengan status putus "
            "program."
        ),
        KEIKUTSERTAAN,
    ),
    _d(
        "completion",
        "completion_rate",
        _("Tingkat penyelesaian"),
        _(
            "Selesai ÷ (selesai + putus program) dari keikutsertaan yang berakhir dalam "
            "periode; pindah tingkat tidak dihitung."
        ),
        PERSEN,
    ),
    _d(
        "completion",
        "by_tier",
        _("Menurut tingkat keparahan"),
        _("Angka penyelesaian di atas menurut tingkat keparahan program."),
        KEIKUTSERTAAN,
    ),
    # --- tier change
    _d(
        "tier_change",
        "completers",
        _("WBP yang selesai program"),
        _("WBP berbeda yang keikutsertaannya selesai dalam periode."),
        ORANG,
    ),
    _d(
        "tier_change",
        "improved",
        _("Membaik (tingkat lebih ringan)"),
        _(
            "Asesmen terakhir sebelum akhir periode lebih ringan daripada asesmen pertama "
            "(keduanya ditandatangani dan berlaku)."
        ),
        ORANG,
    ),
    _d(
        "tier_change",
        "same",
        _("Tetap"),
        _("Asesmen terakhir sama tingkatnya dengan asesmen pertama."),
        ORANG,
    ),
    _d(
        "tier_change",
        "worse",
        _("Memburuk (tingkat lebih berat)"),
        _("Asesmen terakhir lebih berat daripada asesmen pertama."),
        ORANG,
    ),
    _d(
        "tier_change",
        "not_reassessed",
        _("Belum diasesmen ulang"),
        _("WBP dengan hanya satu asesmen yang ditandatangani (atau tanpa asesmen)."),
        ORANG,
    ),
    # --- post-release outcomes (quarterly, yearly), per follow-up month
    _d(
        "post_release",
        "done",
        _("Pemantauan dilakukan"),
        _(
            "Pemantauan bulan ke-3, ke-6 dan ke-12 yang dilakukan (tanggal kontak, bukan tanggal "
            "pencatatan) dalam periode; yang belum dicatat selesai tidak dihitung."
        ),
        PEMANTAUAN,
    ),
    _d(
        "post_release",
        "outcomes",
        _("Hasil pemantauan"),
        _("Pemantauan dilakukan yang sama, menurut hasilnya."),
        PEMANTAUAN,
    ),
    _d(
        "post_release",
        "not_relapsing_rate",
        _("Tidak relaps"),
        _(
            "Pulih ÷ (pulih + relaps + ditangkap kembali + kembali ditahan) per bulan "
            "pemantauan; yang tidak dapat dihubungi dan yang meninggal tidak dihitung."
        ),
        PERSEN,
    ),
    # --- trend: one value per month, counted as the monthly families
    _d(
        "trend",
        "screened",
        _("WBP diskrining"),
        _("Per bulan: WBP berbeda yang diwawancarai ASSIST (tanggal wawancara) dalam bulan itu."),
        ORANG,
    ),
    _d(
        "trend",
        "assessed",
        _("WBP diasesmen"),
        _("Per bulan: WBP berbeda dengan asesmen ditandatangani dan berlaku bertanggal bulan itu."),
        ORANG,
    ),
    _d(
        "trend",
        "active",
        _("Peserta program aktif"),
        _("Per bulan: keikutsertaan yang aktif minimal satu hari dalam bulan itu."),
        KEIKUTSERTAAN,
    ),
    _d(
        "trend",
        "sessions_held",
        _("Sesi terlaksana"),
        _("Per bulan: sesi terlaksana yang mulai dalam bulan itu menurut zona waktu UPT."),
        SESI,
    ),
    _d(
        "trend",
        "attendance_rate",
        _("Tingkat kehadiran"),
        _(
            "Per bulan: (hadir + terlambat) ÷ semua catatan kehadiran pada sesi terlaksana; "
            "izin dihitung tidak hadir."
        ),
        PERSEN,
    ),
    _d(
        "trend",
        "released",
        _("WBP bebas"),
        _("Per bulan: peristiwa bebas bertanggal bulan itu, tanpa yang meninggal dalam tahanan."),
        ORANG,
    ),
]

DEFINITIONS: dict[tuple[str, str], Definition] = {(d.family, d.key): d for d in _ALL}

# The BNN monthly client recap (Perka BNN 4/2015, Lampiran I; PP 25/2011 Pasal 18): one row per
# WBP served, its columns in the order printed (reports.exports.recap_xlsx reads the labels
# here). "Served" is screened, assessed or in a programme in the period, as the monthly report
# counts each: the recap's rows of each kind equal the report's figures named in `counted_as`.
RECAP_TITLE = _("Rekapitulasi klien BNN (PP 25/2011 Pasal 18)")
RECAP_COLUMNS: list[Definition] = [
    _d("recap", "position", pgettext_lazy("nomor urut", "No"), _("Nomor urut baris."), ""),
    _d(
        "recap", "initials", _("Inisial"), _("Huruf awal setiap kata nama; nama tidak ditulis."), ""
    ),
    _d("recap", "number", _("No. ID"), _("Nomor registrasi WBP di UPT ini."), ""),
    _d("recap", "sex", _("Jenis kelamin (L/P)"), _("Jenis kelamin yang tercatat."), ""),
    _d(
        "recap",
        "age",
        _("Usia (tahun)"),
        _("Usia pada hari terakhir periode, dari tanggal lahir."),
        _("tahun"),
    ),
    _d(
        "recap",
        "substance",
        _("Zat utama"),
        _(
            "Zat utama skrining ASSIST terakhir sampai akhir periode; bila tidak ada, zat "
            "pertama riwayat zat asesmen terakhir yang ditandatangani."
        ),
        "",
    ),
    _d(
        "recap",
        "duration",
        _("Lama pemakaian"),
        _("Lama pakai zat utama menurut riwayat zat asesmen terakhir."),
        _("tahun"),
    ),
    _d(
        "recap",
        "route",
        _("Cara pemakaian"),
        _("Cara pakai zat utama menurut asesmen, dan jawaban ASSIST P8 (menyuntik)."),
        "",
    ),
    _d(
        "recap",
        "diagnosis",
        _("Diagnosis (ICD-10)"),
        _("Kode diagnosis asesmen terakhir yang ditandatangani sampai akhir periode."),
        "",
    ),
    _d(
        "recap",
        "service",
        _("Jenis layanan/terapi"),
        _(
            "Tingkat dan rencana terapi asesmen terakhir, dan setiap program dalam periode "
            "dengan statusnya pada hari terakhir periode."
        ),
        "",
    ),
]
# Which rows of the recap each figure of the monthly report counts (family, key): a WBP screened
# in the period, assessed in the period (signed, current), in a programme on a day of it.
RECAP_COUNTED_AS: dict[str, tuple[str, str]] = {
    "screened": ("screening", "screened"),
    "assessed": ("assessment", "assessed"),
    "in_programme": ("programme", "active"),
}
# Keys of the snapshot that say which report it is, not figures.
METADATA = frozenset({"schema_version", "facility_id", "year", "month", "start", "end"})
# Keys that name an element of a list of figures (a track of the programme, a month of the trend).
IDENTITY = frozenset({"tier", "kind", "year", "month"})


def get(family: str, key: str) -> Definition:
    """Return the definition of a figure (KeyError when it has none: a test walks them all)."""
    return DEFINITIONS[(family, key)]


def label(family: str, key: str) -> Promise:
    return get(family, key).label


def of_family(family: str) -> list[Definition]:
    """Return the definitions of a family, in the order of the reports."""
    return [d for d in _ALL if d.family == family]


def figure_keys(figures: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (family, key) for every figure of a stored snapshot, nested ones included, once
    each and in the order they come."""
    seen: set[tuple[str, str]] = set()

    def emit(family: str, key: str) -> Iterator[tuple[str, str]]:
        if (family, key) not in seen:
            seen.add((family, key))
            yield family, key

    for part, families in figures.items():
        if part == "trend":
            for row in families or []:
                for key in row:
                    if key not in IDENTITY:
                        yield from emit("trend", key)
            continue
        for family, data in (families or {}).items():
            if family in METADATA or not isinstance(data, dict):
                continue
            for key, value in data.items():
                if family == "post_release":  # month_3: the family's figures per month
                    for inner in value:
                        yield from emit(family, inner)
                    continue
                yield from emit(family, key)
                if family == "health" and key == "conditions":
                    for inner in next(iter(value.values()), {}):
                        yield from emit(family, inner)


def families_of(figures: Mapping[str, Any]) -> list[tuple[Promise, list[Definition]]]:
    """Return the families of a snapshot with their definitions: the appendix of a report."""
    present = {family for family, _key in figure_keys(figures)}
    return [(FAMILY_TITLES[f], of_family(f)) for f in FAMILY_TITLES if f in present]


def all_families() -> list[tuple[Promise, list[Definition]]]:
    """Return every family with its definitions: the "Definisi" page."""
    return [(FAMILY_TITLES[f], of_family(f)) for f in FAMILY_TITLES]


# --- categories: the values inside a breakdown --------------------------------------------------


def _choices(choices: type[Choices]) -> dict[str, Any]:
    return dict(choices.choices)


# ICD-10 F10-F19 as PPDGJ-III names them, and the two groups the indicators add.
DIAGNOSIS_LABELS = {
    "F10": _("F10 Alkohol"),
    "F11": _("F11 Opioida"),
    "F12": _("F12 Kanabinoida"),
    "F13": _("F13 Sedativa atau hipnotika"),
    "F14": _("F14 Kokain"),
    "F15": _("F15 Stimulansia lain (termasuk metamfetamin)"),
    "F16": _("F16 Halusinogenika"),
    "F17": _("F17 Tembakau"),
    "F18": _("F18 Pelarut yang mudah menguap"),
    "F19": _("F19 Zat multipel dan zat psikoaktif lain"),
    "other": _("Kode diagnosis lain"),
    "none": _("Belum ada diagnosis kerja"),
}

CATEGORIES: dict[str, Mapping[str, Any]] = {
    "sex": _choices(Sex),
    "risk": _choices(RiskLevel),
    "substance": {
        **_choices(Substance),
        "tobacco_only": _("Hanya tembakau"),
        "none": _("Tidak memakai zat"),
    },
    "injection": _choices(Injection),
    "tier": _choices(Tier),
    "diagnosis": DIAGNOSIS_LABELS,
    "track": _choices(TrackKind),
    "drop_reason": _choices(DropReason),
    "session": _choices(SessionKind),
    "analyte": _choices(Analyte),
    "course": _choices(CourseKind),
    "outcome": _choices(Outcome),
}


def month_label(key: str) -> str:
    """ "month_3" (aftercare.done_by_month, post_release) is "Bulan ke-3"."""
    return str(_("Bulan ke-%(n)s")) % {"n": key.removeprefix("month_")}


def category(key: Any, family: str) -> Any:
    """Return the label of a stored category value; the value itself when unknown."""
    key = str(key)
    if family == "health":
        field = HealthScreening._meta.get_field(key)
        return capfirst(getattr(field, "verbose_name", key))
    if family == "month":
        return month_label(key)
    return CATEGORIES[family].get(key, key)


def categories(family: str) -> dict[str, str]:
    """Return a category family as {value: label}, in the active language."""
    if family == "month":
        months = sorted({*settings.AFTERCARE_MONTHS, 1, 3, 6, 12})
        return {f"month_{m}": month_label(f"month_{m}") for m in months}
    if family == "health":
        from reports.indicators import HEALTH_CONDITIONS

        return {name: str(category(name, "health")) for name in HEALTH_CONDITIONS}
    return {k: str(v) for k, v in CATEGORIES[family].items()}


def summary(figures: Mapping[str, Any]) -> list[tuple[Promise, list[tuple[Definition, Any]]]]:
    """Return the single numbers of a snapshot (not the breakdowns), by family, with their
    definitions: what the report page shows. The trend and unknown keys are left out."""
    found: dict[str, list[tuple[Definition, Any]]] = {}
    for part, families in figures.items():
        if part == "trend" or not isinstance(families, dict):
            continue
        for family, data in families.items():
            if family not in FAMILY_TITLES or not isinstance(data, dict):
                continue
            for d in of_family(family):
                value = data.get(d.key, ...)
                if value is ... or isinstance(value, dict | list):
                    continue
                found.setdefault(family, []).append((d, value))
    return [(FAMILY_TITLES[f], found[f]) for f in FAMILY_TITLES if f in found]
