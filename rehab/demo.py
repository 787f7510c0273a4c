"""Demo organisation: two Rutan, their partner agencies, and one account per role.

Used only by `manage.py seed_demo`. Every write is keyed on a natural key (facility code,
agency name and regency, username, user x facility x role), so running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from rehab.models import (
    Agency,
    AgencyKind,
    Facility,
    FacilityClass,
    FacilityKind,
    Membership,
    PaperSize,
    Profile,
    Role,
    TimeZoneName,
)

# The one place a demo password exists; it is printed by seed_demo and never used elsewhere.
DEMO_PASSWORD = "demo-rehab-2026"

KALTIM = "Kalimantan Timur"
JATENG = "Jawa Tengah"

FACILITIES: list[dict[str, Any]] = [
    {
        "code": "tanah-grogot",
        "name": "Rutan Kelas IIB Tanah Grogot",
        "kind": FacilityKind.RUTAN,
        "facility_class": FacilityClass.CLASS_IIB,
        "regency": "Kabupaten Paser",
        "province": KALTIM,
        "address": (
            "Jl. Kusuma Bangsa No. 3, Kelurahan Tanah Grogot, Kecamatan Tanah Grogot, "
            "Kabupaten Paser, Kalimantan Timur 76211"
        ),
        "time_zone": TimeZoneName.WITA,
        "town": "Tanah Grogot",
        "paper_size": PaperSize.F4,
        "active": True,
    },
    {
        "code": "banjarnegara",
        "name": "Rutan Kelas IIB Banjarnegara",
        "kind": FacilityKind.RUTAN,
        "facility_class": FacilityClass.CLASS_IIB,
        "regency": "Kabupaten Banjarnegara",
        "province": JATENG,
        "address": (
            "Jl. Letjend. Suprapto No. 1, Kelurahan Krandegan, Kecamatan Banjarnegara, "
            "Kabupaten Banjarnegara, Jawa Tengah 53412"
        ),
        "time_zone": TimeZoneName.WIB,
        "town": "Banjarnegara",
        "paper_size": PaperSize.F4,
        "active": True,
    },
    # Where long-sentence narcotics convicts are moved to. They do not use the system
    # (inactive: no memberships, no scheduled reports) but give transfers a real destination.
    {
        "code": "lapas-narkotika-smd",
        "name": "Lapas Narkotika Kelas IIA Samarinda",
        "kind": FacilityKind.LAPAS,
        "facility_class": FacilityClass.CLASS_IIA,
        "regency": "Kota Samarinda",
        "province": KALTIM,
        "address": "",
        "time_zone": TimeZoneName.WITA,
        "town": "Samarinda",
        "paper_size": PaperSize.F4,
        "active": False,
    },
    {
        "code": "lapas-purwokerto",
        "name": "Lapas Kelas IIA Purwokerto",
        "kind": FacilityKind.LAPAS,
        "facility_class": FacilityClass.CLASS_IIA,
        "regency": "Kabupaten Banyumas",
        "province": JATENG,
        "address": "",
        "time_zone": TimeZoneName.WIB,
        "town": "Purwokerto",
        "paper_size": PaperSize.F4,
        "active": False,
    },
]

# Where each demo Rutan transfers WBP to.
TRANSFER_DESTINATIONS = {
    "tanah-grogot": ["lapas-narkotika-smd"],
    "banjarnegara": ["lapas-purwokerto"],
}

# (name, kind, regency, province, facility codes served)
AGENCIES: list[tuple[str, str, str, str, list[str]]] = [
    ("BNK Paser", AgencyKind.BNK, "Kabupaten Paser", KALTIM, ["tanah-grogot"]),
    (
        "Dinas Kesehatan Kabupaten Paser",
        AgencyKind.DINKES,
        "Kabupaten Paser",
        KALTIM,
        ["tanah-grogot"],
    ),
    (
        "Disnakertrans Kabupaten Paser",
        AgencyKind.DISNAKERTRANS,
        "Kabupaten Paser",
        KALTIM,
        ["tanah-grogot"],
    ),
    ("Bapas Balikpapan", AgencyKind.BAPAS, "Kota Balikpapan", KALTIM, ["tanah-grogot"]),
    ("BNNP Kalimantan Timur", AgencyKind.BNNP, "", KALTIM, ["tanah-grogot"]),
    # Banjarnegara has no BNNK of its own; the Purbalingga office serves it.
    ("BNNK Purbalingga", AgencyKind.BNNK, "Kabupaten Purbalingga", JATENG, ["banjarnegara"]),
    (
        "Dinas Kesehatan Kabupaten Banjarnegara",
        AgencyKind.DINKES,
        "Kabupaten Banjarnegara",
        JATENG,
        ["banjarnegara"],
    ),
    (
        "Disnakertrans Kabupaten Banjarnegara",
        AgencyKind.DISNAKERTRANS,
        "Kabupaten Banjarnegara",
        JATENG,
        ["banjarnegara"],
    ),
    ("Bapas Purwokerto", AgencyKind.BAPAS, "Kabupaten Banyumas", JATENG, ["banjarnegara"]),
]


@dataclass(frozen=True)
class AccountSpec:
    """One demo account: who it is and where it works."""

    username: str
    first_name: str
    last_name: str
    role: str
    facilities: tuple[str, ...]
    agency: str = ""
    superuser: bool = False


ACCOUNTS: list[AccountSpec] = [
    AccountSpec(
        "admin", "Hendra", "Wijaya", Role.ADMIN, ("tanah-grogot", "banjarnegara"), superuser=True
    ),
    AccountSpec("staf.grogot", "Muhammad", "Syahrani", Role.STAFF, ("tanah-grogot",)),
    AccountSpec(
        "konselor.grogot", "Nurul", "Hidayah", Role.COUNSELOR, ("tanah-grogot",), "BNK Paser"
    ),
    AccountSpec(
        "nakes.grogot",
        "Rina",
        "Marlina",
        Role.HEALTH,
        ("tanah-grogot",),
        "Dinas Kesehatan Kabupaten Paser",
    ),
    AccountSpec("karutan.grogot", "Andi", "Syamsuddin", Role.WARDEN, ("tanah-grogot",)),
    AccountSpec("staf.banjarnegara", "Agus", "Wibowo", Role.STAFF, ("banjarnegara",)),
    AccountSpec(
        "konselor.banjarnegara",
        "Dwi",
        "Astuti",
        Role.COUNSELOR,
        ("banjarnegara",),
        "BNNK Purbalingga",
    ),
    AccountSpec(
        "nakes.banjarnegara",
        "Sri",
        "Handayani",
        Role.HEALTH,
        ("banjarnegara",),
        "Dinas Kesehatan Kabupaten Banjarnegara",
    ),
    AccountSpec("karutan.banjarnegara", "Bambang", "Setiawan", Role.WARDEN, ("banjarnegara",)),
    AccountSpec(
        "supervisor.kaltim",
        "Yusuf",
        "Kurniawan",
        Role.SUPERVISOR,
        ("tanah-grogot",),
        "BNNP Kalimantan Timur",
    ),
]


# What the demo wardens sign with: rank/grade and NIP (born, appointed, sex, number).
WARDEN_PROFILES = {
    "karutan.grogot": ("Pembina (IV/a)", "197604122000031002"),
    "karutan.banjarnegara": ("Penata Tingkat I (III/d)", "197809232001121001"),
}


@dataclass
class DemoSite:
    """A demo Rutan with the staff account that registers its WBP."""

    facility: Facility
    staff: Any
    transfer_to: list[Facility]


@dataclass
class DemoOrganisation:
    """What seed_organisation made, for the app demo modules that come after it."""

    sites: list[DemoSite] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    # (username, role label, facility names) rows for the table printed at the end.
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def site(self, code: str) -> DemoSite:
        """Return the demo site with the given facility code."""
        return next(s for s in self.sites if s.facility.code == code)


def seed_organisation() -> DemoOrganisation:
    """Create or refresh the demo facilities, agencies, accounts and memberships."""
    facilities = {
        spec["code"]: Facility.objects.update_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )[0]
        for spec in FACILITIES
    }

    agencies: dict[str, Agency] = {}
    for name, kind, regency, province, codes in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            name=name, regency=regency, defaults={"kind": kind, "province": province}
        )
        agency.facilities.add(*(facilities[c] for c in codes))
        agencies[name] = agency

    # One hash for all demo accounts: PBKDF2 costs ~0.25 s a call, and a shared salt hides
    # nothing when the password itself is printed on screen.
    password = make_password(DEMO_PASSWORD)
    org = DemoOrganisation()
    user_model = get_user_model()
    for spec in ACCOUNTS:
        profile = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "is_active": True,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        }
        # The demo password is set only when the account is created: a later run never
        # resets the password of an account someone has since changed (or a real `admin`).
        user, _ = user_model.objects.update_or_create(
            username=spec.username,
            defaults=profile,
            create_defaults={**profile, "password": password},
        )
        for code in spec.facilities:
            Membership.objects.update_or_create(
                user=user,
                facility=facilities[code],
                role=spec.role,
                defaults={"agency": agencies.get(spec.agency), "active": True},
            )
        org.users[spec.username] = user
        org.accounts.append(
            (
                spec.username,
                str(Role(spec.role).label),
                ", ".join(facilities[c].name for c in spec.facilities),
            )
        )

    for username, (rank, nip) in WARDEN_PROFILES.items():
        Profile.objects.update_or_create(
            user=org.users[username], defaults={"rank": rank, "nip": nip}
        )

    for code, staff in (("tanah-grogot", "staf.grogot"), ("banjarnegara", "staf.banjarnegara")):
        org.sites.append(
            DemoSite(
                facility=facilities[code],
                staff=org.users[staff],
                transfer_to=[facilities[c] for c in TRANSFER_DESTINATIONS[code]],
            )
        )
    return org
