"""The default programme catalogue every installation starts with.

Modules are the subjects a session covers; tracks are the programmes of each tier (DOMAIN.md
§2.1, §2.5, §2.6): Ringan 15 days, Sedang 30 days, Berat 60 days, and a Therapeutic Community of
six months for berat. The required session counts are a starting point a facility may edit in
the admin.

Forwards is idempotent (get_or_create by module code and track name; an existing row is never
changed). Backwards removes a catalogue track only if no cohort or enrolment uses it, and a
catalogue module only if no session and no other track uses it.
"""

from django.db import migrations

MODULES = [
    (
        "edukasi-napza",
        "Edukasi napza",
        "Jenis narkotika, psikotropika dan zat adiktif, efeknya, bahayanya dan aspek hukumnya.",
    ),
    (
        "kesehatan",
        "Kesehatan: HIV, hepatitis dan TB",
        "Penularan dan pencegahan HIV, hepatitis B dan C serta TB; tes dan pengobatan.",
    ),
    (
        "psikologi",
        "Psikologi",
        "Motivasi untuk berubah, mengelola emosi, stres dan keinginan memakai (craving).",
    ),
    (
        "keagamaan",
        "Bimbingan keagamaan",
        "Pembinaan kerohanian sesuai agama peserta.",
    ),
    (
        "keluarga",
        "Keluarga",
        "Konseling keluarga dan dukungan keluarga selama dan sesudah program.",
    ),
    (
        "pencegahan-kekambuhan",
        "Pencegahan kekambuhan",
        "Mengenali pemicu dan situasi berisiko tinggi; rencana pencegahan kekambuhan.",
    ),
    (
        "keterampilan-hidup",
        "Keterampilan hidup",
        "Komunikasi, menolak ajakan, memecahkan masalah dan mengambil keputusan.",
    ),
    (
        "vokasional",
        "Vokasional",
        "Pelatihan keterampilan kerja (pembinaan kemandirian), bersama Disnakertrans/BLK.",
    ),
]

# name, tier, kind, days, description, module codes, {session kind: required count}
TRACKS = [
    (
        "Ringan — 15 hari",
        "ringan",
        "programme",
        15,
        "Untuk hasil asesmen tingkat ringan: edukasi dasar tentang narkoba dan intervensi "
        "singkat, dengan narasumber kesehatan, psikologi dan agama.",
        ["edukasi-napza", "kesehatan", "psikologi", "keagamaan"],
        {"education": 6, "group": 4, "individual": 2, "religion": 3},
    ),
    (
        "Sedang — 30 hari",
        "sedang",
        "programme",
        30,
        "Untuk hasil asesmen tingkat sedang: konseling individu dan kelompok, konseling "
        "keluarga, edukasi dan pencegahan kekambuhan.",
        [
            "edukasi-napza",
            "kesehatan",
            "psikologi",
            "keagamaan",
            "keluarga",
            "pencegahan-kekambuhan",
            "keterampilan-hidup",
        ],
        {"group": 10, "individual": 6, "family": 2, "education": 6, "religion": 6},
    ),
    (
        "Berat — 60 hari",
        "berat",
        "programme",
        60,
        "Program intensif untuk hasil asesmen tingkat berat: konseling individu, kelompok dan "
        "keluarga, edukasi, pembinaan keagamaan dan pencegahan kekambuhan.",
        [
            "edukasi-napza",
            "kesehatan",
            "psikologi",
            "keagamaan",
            "keluarga",
            "pencegahan-kekambuhan",
            "keterampilan-hidup",
        ],
        {"group": 20, "individual": 12, "family": 4, "education": 10, "religion": 10},
    ),
    (
        "Berat — Komunitas Terapeutik (6 bulan)",
        "berat",
        "tc",
        180,
        "Rehabilitasi sosial dengan metode Komunitas Terapeutik: induksi, fase primer, "
        "re-entry; morning meeting setiap hari, kelompok sebaya dan kegiatan vokasional.",
        [code for code, _name, _description in MODULES],
        {"tc_morning": 120, "group": 40, "individual": 24, "family": 6, "vocational": 40},
    ),
]


def forwards(apps, schema_editor):
    Module = apps.get_model("programs", "Module")
    Track = apps.get_model("programs", "Track")
    TrackRequirement = apps.get_model("programs", "TrackRequirement")
    modules = {}
    for code, name, description in MODULES:
        modules[code], _ = Module.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
    for name, tier, kind, days, description, codes, requirements in TRACKS:
        track, created = Track.objects.get_or_create(
            name=name,
            defaults={
                "tier": tier,
                "kind": kind,
                "duration_days": days,
                "description": description,
            },
        )
        if not created:
            continue  # someone's track of that name: left as it is
        track.modules.add(*(modules[code] for code in codes))
        TrackRequirement.objects.bulk_create(
            TrackRequirement(track=track, session_kind=session_kind, count=count)
            for session_kind, count in requirements.items()
        )


def backwards(apps, schema_editor):
    Module = apps.get_model("programs", "Module")
    Track = apps.get_model("programs", "Track")
    Cohort = apps.get_model("programs", "Cohort")
    Enrolment = apps.get_model("programs", "Enrolment")
    Session = apps.get_model("programs", "Session")
    removed = []
    for name, tier, kind, days, _description, _codes, _requirements in TRACKS:
        for track in Track.objects.filter(name=name, tier=tier, kind=kind, duration_days=days):
            used = (
                Cohort.objects.filter(track=track).exists()
                or Enrolment.objects.filter(track=track).exists()
            )
            if not used:
                removed.append(track.pk)
                track.delete()  # its requirements and module links go with it
    for code, _name, _description in MODULES:
        module = Module.objects.filter(code=code).first()
        if module is None:
            continue
        in_use = (
            Session.objects.filter(module=module).exists()
            or Track.objects.filter(modules=module).exclude(pk__in=removed).exists()
        )
        if not in_use:
            module.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
