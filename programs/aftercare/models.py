"""Release planning and post-release follow-up (pascarehabilitasi)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inmates.models import Inmate
from rehab.models import Agency, Facility


class ReleasePlan(models.Model):
    """The checklist that prepares a WBP's release and the hand-over to aftercare."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.OneToOneField(
        Inmate, on_delete=models.CASCADE, related_name="release_plan", verbose_name=_("WBP")
    )
    bnnk_referral = models.BooleanField(_("dirujuk ke BNNK (pascarehabilitasi)"), default=False)
    bapas_referral = models.BooleanField(_("dirujuk ke Bapas"), default=False)
    receiving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lembaga penerima serah terima"),
    )
    job_training_referral = models.BooleanField(
        _("dirujuk ke pelatihan kerja Disnakertrans"), default=False
    )
    capital_aid_referral = models.BooleanField(_("diusulkan bantuan modal usaha"), default=False)
    family_contact_name = models.CharField(_("nama kontak keluarga"), max_length=150, blank=True)
    family_contact_relation = models.CharField(_("hubungan"), max_length=60, blank=True)
    family_contact_phone = models.CharField(_("telepon keluarga"), max_length=30, blank=True)
    follow_up_address = models.TextField(_("alamat setelah bebas"), blank=True)
    follow_up_phone = models.CharField(_("telepon yang disepakati"), max_length=30, blank=True)
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("konselor penanggung jawab pemantauan"),
    )
    notes = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rencana pembebasan")
        verbose_name_plural = _("rencana pembebasan")

    def __str__(self) -> str:
        return str(self.inmate)

    def get_absolute_url(self) -> str:
        return reverse("programs:release_plan", args=[self.inmate_id])

    def checklist(self) -> list[tuple[str, bool]]:
        """Return the hand-over items with whether each is done."""
        return [
            (str(_("Rujukan BNNK pascarehabilitasi")), self.bnnk_referral),
            (str(_("Rujukan Bapas")), self.bapas_referral),
            (str(_("Lembaga penerima")), self.receiving_agency_id is not None),
            (
                str(_("Program Disnakertrans (pelatihan/bantuan modal)")),
                self.job_training_referral or self.capital_aid_referral,
            ),
            (
                str(_("Kontak keluarga")),
                bool(self.family_contact_name and self.family_contact_phone),
            ),
            (str(_("Kontak pemantauan yang disepakati")), bool(self.follow_up_phone)),
            (str(_("Konselor penanggung jawab")), self.counselor_id is not None),
        ]


class Outcome(models.TextChoices):
    ABSTINENT = "abstinent", _("Pulih (tidak memakai)")
    RELAPSE = "relapse", _("Relaps/kambuh")
    REARRESTED = "rearrested", _("Ditangkap kembali")
    UNREACHABLE = "unreachable", _("Tidak dapat dihubungi")
    DIED = "died", _("Meninggal")
    # Set by the system when the person is registered in custody again: the follow-ups of the
    # earlier release still open end with it.
    REDETAINED = "redetained", _("Kembali ditahan")


# The outcomes that say whether a person relapsed; "unreachable" and "died" say nothing of it.
KNOWN_OUTCOMES = (Outcome.ABSTINENT, Outcome.RELAPSE, Outcome.REARRESTED, Outcome.REDETAINED)


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("Kunjungan rumah")
    PHONE = "phone", _("Telepon")
    URINE = "urine", _("Tes urine")
    AGENCY = "agency", _("Laporan lembaga (BNNK/Bapas)")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Bekerja")
    SELF_EMPLOYED = "self", _("Berwirausaha")
    UNEMPLOYED = "unemployed", _("Belum bekerja")
    UNKNOWN = "unknown", _("Tidak diketahui")


class AidKind(models.TextChoices):
    NONE = "", _("Tidak ada")
    CAPITAL = "capital", _("Bantuan modal usaha")
    TOOLS = "tools", _("Bantuan alat kerja")
    TRAINING = "training", _("Pelatihan kerja")


class Aftercare(models.Model):
    """One scheduled post-release follow-up (at 1, 3, 6 or 12 months) and what it found."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="aftercare", verbose_name=_("WBP")
    )
    month = models.PositiveSmallIntegerField(_("bulan ke-"))
    due_on = models.DateField(_("jatuh tempo"))
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("konselor penanggung jawab"),
    )
    contacted_on = models.DateField(_("tanggal pemantauan"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    method = models.CharField(
        _("cara pemantauan"), max_length=10, choices=ContactMethod.choices, blank=True
    )
    employment = models.CharField(
        _("pekerjaan"), max_length=10, choices=Employment.choices, blank=True
    )
    aid_kind = models.CharField(
        _("bantuan yang diterima"), max_length=10, choices=AidKind.choices, blank=True
    )
    aid_amount = models.DecimalField(
        _("nilai bantuan (Rp)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    notes = models.TextField(_("catatan pemantauan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("pemantauan pascarehabilitasi")
        verbose_name_plural = _("pemantauan pascarehabilitasi")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["facility", "recorded_at", "due_on"]),
            models.Index(fields=["counselor", "recorded_at", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["inmate", "month"], name="aftercare_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.inmate} · {self.month}"

    def get_absolute_url(self) -> str:
        return reverse("programs:aftercare_record", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.recorded_at is not None
