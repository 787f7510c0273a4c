"""The organisation: facilities (UPT), partner agencies, staff memberships, audit and access log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    RUTAN = "rutan", _("Rumah Tahanan Negara (Rutan)")
    LAPAS = "lapas", _("Lembaga Pemasyarakatan (Lapas)")
    LPKA = "lpka", _("Lembaga Pembinaan Khusus Anak (LPKA)")


class FacilityClass(models.TextChoices):
    CLASS_I = "I", _("Kelas I")
    CLASS_IIA = "IIA", _("Kelas IIA")
    CLASS_IIB = "IIB", _("Kelas IIB")
    CLASS_III = "III", _("Kelas III")


class TimeZoneName(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class PaperSize(models.TextChoices):
    # F4 (215 x 330 mm, folio) is the paper of Indonesian government offices.
    F4 = "F4", _("F4 (215 x 330 mm)")
    A4 = "A4", _("A4 (210 x 297 mm)")


class Facility(models.Model):
    name = models.CharField(_("nama"), max_length=150)
    code = models.SlugField(_("kode"), max_length=20, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=FacilityKind.choices)
    facility_class = models.CharField(_("kelas"), max_length=5, choices=FacilityClass.choices)
    regency = models.CharField(_("kabupaten/kota"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=100)
    address = models.TextField(_("alamat"), blank=True)
    town = models.CharField(
        _("kota tempat penandatanganan"),
        max_length=100,
        blank=True,
        help_text=_("Kota tempat UPT berada, ditulis di depan tanggal tanda tangan."),
    )
    time_zone = models.CharField(
        _("zona waktu"), max_length=20, choices=TimeZoneName.choices, default=TimeZoneName.WIB
    )
    paper_size = models.CharField(
        _("ukuran kertas cetak"), max_length=2, choices=PaperSize.choices, default=PaperSize.F4
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("UPT")
        verbose_name_plural = _("UPT")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def time_zone_label(self) -> str:
        return self.get_time_zone_display().split(" ")[0]

    @property
    def place(self) -> str:
        """The town written before the date of a signature ("Tanah Grogot, 3 Desember 2026")."""
        return self.town or self.regency

    def warden(self) -> Signatory:
        """Return the facility's Kepala Rutan as they sign, empty lines if there is none."""
        membership = (
            Membership.objects.active()
            .filter(facility=self, role=Role.WARDEN)
            .select_related("user__profile")
            .order_by("id")
            .first()
        )
        return Signatory.of(membership.user if membership else None)

    def warden_name(self) -> str:
        """Return the full name of the facility's Kepala Rutan, or "" to leave a line for it."""
        return self.warden().name


class AgencyKind(models.TextChoices):
    BNNK = "bnnk", _("BNN Kabupaten/Kota (BNNK)")
    BNK = "bnk", _("Badan Narkotika Kabupaten (BNK)")
    BNNP = "bnnp", _("BNN Provinsi (BNNP)")
    DINKES = "dinkes", _("Dinas Kesehatan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    DISNAKERTRANS = "disnakertrans", _("Disnakertrans")
    BAPAS = "bapas", _("Balai Pemasyarakatan (Bapas)")
    OTHER = "other", _("Lainnya")


class Agency(models.Model):
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices)
    regency = models.CharField(_("kabupaten/kota"), max_length=100, blank=True)
    province = models.CharField(_("provinsi"), max_length=100)
    facilities = models.ManyToManyField(
        Facility, related_name="partners", blank=True, verbose_name=_("UPT mitra")
    )

    class Meta:
        verbose_name = _("instansi mitra")
        verbose_name_plural = _("instansi mitra")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "regency"], name="agency_unique_name_regency")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("Petugas Rutan")
    COUNSELOR = "counselor", _("Konselor Adiksi")
    HEALTH = "health", _("Tenaga Kesehatan")
    WARDEN = "warden", _("Kepala Rutan")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(active=True, facility__active=True)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("pengguna"),
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("UPT")
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("instansi"),
        help_text=_("Untuk konselor BNNK, nakes Dinkes dan mitra lain."),
    )
    active = models.BooleanField(_("aktif"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "facility", "role"], name="membership_unique_user_facility_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.facility}"


class Profile(models.Model):
    """What an official signs with besides their name: rank and grade, and NIP."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("pengguna"),
    )
    rank = models.CharField(
        _("pangkat/golongan"),
        max_length=60,
        blank=True,
        help_text=_("Contoh: Pembina (IV/a)"),
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 angka."))],
        help_text=_("Nomor Induk Pegawai, 18 angka tanpa spasi."),
    )

    class Meta:
        verbose_name = _("profil kepegawaian")
        verbose_name_plural = _("profil kepegawaian")

    def __str__(self) -> str:
        return str(self.user)


@dataclass(frozen=True)
class Signatory:
    """The lines under a signature: name, rank/grade and NIP ("" leaves a line to fill in)."""

    name: str = ""
    rank: str = ""
    nip: str = ""

    @classmethod
    def of(cls, user: Any) -> Signatory:
        if user is None:
            return cls()
        try:
            profile = user.profile
        except Profile.DoesNotExist:
            profile = None
        return cls(
            name=user.get_full_name() or user.get_username(),
            rank=profile.rank if profile else "",
            nip=profile.nip if profile else "",
        )


def display_name(user: Any) -> str:
    """Return the name a person is shown by: their full name, else their username."""
    return user.get_full_name() or user.get_username()


class AuditEntry(models.Model):
    """One change to a record: who, when, what. Written by services, never edited.

    The actor's username and name are copied as they were at the time: renaming an account
    later does not rewrite who did what.
    """

    # Empty for changes to an account itself (a password, activation), which belong to no UPT.
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("UPT")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    actor_username = models.CharField(_("nama pengguna pelaku"), max_length=150, blank=True)
    actor_name = models.CharField(_("nama pelaku"), max_length=300, blank=True)
    action = models.CharField(_("tindakan"), max_length=80)
    target_type = models.CharField(_("jenis data"), max_length=60)
    target_id = models.PositiveBigIntegerField(_("id data"))
    # The model whose fields `changes` names, when it is not the target (a note of a WBP).
    subject_type = models.CharField(_("jenis data yang berubah"), max_length=60, blank=True)
    summary = models.CharField(_("ringkasan"), max_length=255, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"]),
            # The admin's list (newest first) and a facility's history.
            models.Index(fields=["-created_at", "-id"], name="audit_created_idx"),
            models.Index(
                fields=["facility", "-created_at", "-id"], name="audit_facility_created_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit entries are append-only.")


class AccessLog(models.Model):
    """One read of restricted data or one download. Append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    # Who it was at the time, as on AuditEntry.
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    user_name = models.CharField(_("nama"), max_length=300, blank=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    action = models.CharField(_("akses"), max_length=80)
    target_type = models.CharField(_("jenis data"), max_length=60)
    target_id = models.PositiveBigIntegerField(_("id data"), null=True, blank=True)
    detail = models.CharField(_("keterangan"), max_length=255, blank=True)
    # The WBP whose data was read (the target itself or the WBP it belongs to), for the case
    # file's "who opened this file". A plain id: this app sits below the WBP records.
    inmate_id = models.PositiveBigIntegerField(_("id WBP"), null=True, blank=True)
    # The roles the user held in the facility at the time, comma-separated codes.
    roles = models.CharField(_("peran"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("log akses")
        verbose_name_plural = _("log akses")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["facility", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["inmate_id", "-created_at"], name="rehab_accesslog_inmate"),
            # The admin's list, newest first across facilities.
            models.Index(fields=["-created_at", "-id"], name="accesslog_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Access-log rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Access-log rows are append-only.")

    def role_labels(self) -> str:
        """The roles held at the time, as their names."""
        names = dict(Role.choices)
        return ", ".join(str(names.get(code, code)) for code in self.roles.split(",") if code)


class NotificationKind(models.TextChoices):
    REVIEW_DUE = "review_due", _("Asesmen ulang jatuh tempo")
    REVIEW_OVERDUE = "review_overdue", _("Asesmen ulang terlambat")
    AFTERCARE_DUE = "aftercare_due", _("Pemantauan pascarehabilitasi minggu ini")
    RELEASE_SOON = "release_soon", _("Bebas dalam 30 hari")
    APPROVAL_WAITING = "approval_waiting", _("Menunggu persetujuan")
    SESSION_CHANGED = "session_changed", _("Sesi dipindah atau dibatalkan")
    TRANSFER_INCOMING = "transfer_incoming", _("WBP pindahan masuk")


class Notification(models.Model):
    """One reminder for one user, built each morning by rehab.notifications. The title names
    what is due and whose case it is, never a health detail (it also goes out by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("pengguna"),
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("UPT")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("judul"), max_length=255)
    url = models.CharField(_("tautan"), max_length=500)
    # The same reminder about the same object is created once: "<kind>:<object>[:<date>]".
    key = models.CharField(_("kunci"), max_length=200)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="rehab_notification_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="rehab_notification_unread")]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """What one user does not want to be reminded of, and whether the morning digest is mailed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("pengguna"),
    )
    muted = models.JSONField(_("jenis yang dibisukan"), default=list, blank=True)
    digest = models.BooleanField(_("kirim ringkasan harian lewat e-mail"), default=False)
    # The local date of the last digest sent, so the hourly task sends one a day.
    digest_sent_on = models.DateField(_("ringkasan terakhir dikirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")

    def __str__(self) -> str:
        return str(self.user)
