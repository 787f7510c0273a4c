"""WBP records: identity, custody, case articles, custody events and SDP import batches."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from inmates.matching import name_key
from rehab.formats import short_date
from rehab.models import Facility

NIK_PATTERN = re.compile(r"^\d{16}$")


def validate_nik(value: str) -> None:
    """Check a 16-digit NIK: province code, a real birth day and month."""
    if not NIK_PATTERN.match(value):
        raise ValidationError(_("NIK harus 16 digit angka."), code="nik_format")
    province, day, month = int(value[0:2]), int(value[6:8]), int(value[8:10])
    if day > 40:  # women's NIK adds 40 to the day of birth
        day -= 40
    if not 11 <= province <= 96 or not 1 <= day <= 31 or not 1 <= month <= 12:
        raise ValidationError(
            _("NIK tidak valid: kode wilayah atau tanggal lahir di dalamnya tidak mungkin."),
            code="nik_invalid",
        )


def normalise(text: str) -> str:
    """Lower-case and squeeze spaces, for search."""
    return " ".join(text.lower().split())


class RegisterClass(models.TextChoices):
    A_I = "A.I", _("A.I (tahanan penyidik)")
    A_II = "A.II", _("A.II (tahanan penuntut umum)")
    A_III = "A.III", _("A.III (tahanan Pengadilan Negeri)")
    A_IV = "A.IV", _("A.IV (tahanan Pengadilan Tinggi)")
    A_V = "A.V", _("A.V (tahanan Mahkamah Agung)")
    B_I = "B.I", _("B.I (pidana lebih dari 1 tahun)")
    B_IIA = "B.IIa", _("B.IIa (pidana 3 bulan sampai 1 tahun)")
    B_IIB = "B.IIb", _("B.IIb (pidana 1 hari sampai 3 bulan)")
    B_III = "B.III", _("B.III (kurungan)")
    SH = "SH", _("SH (seumur hidup)")
    MATI = "MATI", _("Pidana mati")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")
    PROTESTANT = "kristen", _("Kristen")
    CATHOLIC = "katolik", _("Katolik")
    HINDU = "hindu", _("Hindu")
    BUDDHIST = "buddha", _("Buddha")
    CONFUCIAN = "konghucu", _("Konghucu")
    OTHER = "lainnya", _("Lainnya")


class Education(models.TextChoices):
    NONE = "none", _("Tidak sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma")
    S1 = "s1", _("Sarjana (S1)")
    POSTGRAD = "s2", _("Pascasarjana (S2/S3)")


class CustodyStatus(models.TextChoices):
    IN_CUSTODY = "in_custody", _("Dalam tahanan")
    TRANSFERRED = "transferred", _("Dipindahkan")
    RELEASED = "released", _("Bebas")


class InmateQuerySet(models.QuerySet["Inmate"]):
    def in_custody(self) -> InmateQuerySet:
        return self.filter(status=CustodyStatus.IN_CUSTODY)

    def search(self, text: str) -> InmateQuerySet:
        """Match every word against name, aliases, registration number and NIK."""
        qs = self
        for word in normalise(text).split()[:5]:
            qs = qs.filter(search_text__contains=word)
        return qs


class Inmate(models.Model):
    """One WBP in one facility (a registration number is unique within its UPT)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="inmates", verbose_name=_("UPT")
    )
    registration_number = models.CharField(_("nomor registrasi"), max_length=40)
    register_class = models.CharField(
        _("kategori register"), max_length=8, choices=RegisterClass.choices
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    aliases = models.CharField(
        _("nama alias"), max_length=255, blank=True, help_text=_("Pisahkan dengan koma.")
    )
    nik = models.CharField(
        _("NIK"), max_length=16, blank=True, validators=[validate_nik], db_index=True
    )
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    religion = models.CharField(_("agama"), max_length=10, choices=Religion.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=10, choices=Education.choices, blank=True
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    origin_regency = models.CharField(_("kabupaten/kota asal"), max_length=100, blank=True)
    nationality = models.CharField(_("kewarganegaraan"), max_length=60, default="Indonesia")
    detention_date = models.DateField(_("tanggal ditahan"), null=True, blank=True)
    admission_date = models.DateField(_("tanggal masuk"))
    verdict_number = models.CharField(_("nomor putusan"), max_length=100, blank=True)
    verdict_date = models.DateField(_("tanggal putusan"), null=True, blank=True)
    sentence_months = models.PositiveIntegerField(_("lama pidana (bulan)"), null=True, blank=True)
    sentence_days = models.PositiveIntegerField(_("lama pidana (hari)"), null=True, blank=True)
    expiry_date = models.DateField(_("tanggal ekspirasi"), null=True, blank=True)
    release_date = models.DateField(_("tanggal bebas"), null=True, blank=True)
    block = models.CharField(_("blok"), max_length=30, blank=True)
    cell = models.CharField(_("kamar"), max_length=30, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CustodyStatus.choices,
        default=CustodyStatus.IN_CUSTODY,
    )
    status_changed_on = models.DateField(_("tanggal perubahan status"), null=True, blank=True)
    # A WBP admitted again after an earlier release: the earlier episode's record.
    previous_episode = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_episodes",
        verbose_name=_("episode sebelumnya"),
    )
    # When the retention rule (rehab/privacy.py apply_retention) replaced the identity.
    anonymised_at = models.DateTimeField(
        _("dianonimkan pada"), null=True, blank=True, editable=False
    )
    # Lower-cased name, aliases, registration number and NIK, for one indexed search.
    search_text = models.CharField(max_length=600, editable=False, default="")
    # The name with its spelling variants ironed out (inmates.matching.name_key), for the
    # duplicate check: Muhamad Rizky and Mochamad Rizki have one key.
    name_key = models.CharField(max_length=150, editable=False, default="")
    # Bumped on every save: a form posted against an older version is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InmateQuerySet.as_manager()

    class Meta:
        verbose_name = _("WBP")
        verbose_name_plural = _("WBP")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "registration_number"],
                name="inmate_unique_registration_per_facility",
            ),
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(admission_date__lte=models.F("expiry_date")),
                name="inmate_expiry_after_admission",
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "full_name", "id"]),
            models.Index(fields=["facility", "status", "full_name"]),
            models.Index(fields=["facility", "register_class"]),
            models.Index(fields=["facility", "block"]),
            models.Index(fields=["full_name", "birth_date"]),
            # The duplicate check: the user's facilities, a birth year (a range), the name key.
            models.Index(
                fields=["facility", "birth_date", "name_key"], name="inmate_birth_name_key"
            ),
            models.Index(fields=["release_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.registration_number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalise(
            " ".join([self.full_name, self.aliases, self.registration_number, self.nik])
        )
        self.name_key = name_key(self.full_name)[:150]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "name_key", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inmates:detail", args=[self.pk])

    def clean(self) -> None:
        """Refuse dates that cannot all be true at once, naming the field at fault."""
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("Tanggal lahir tidak boleh di masa depan.")
        if self.admission_date and self.admission_date > today:
            errors["admission_date"] = _("Tanggal masuk tidak boleh di masa depan.")
        age = self.age_on(self.admission_date) if self.admission_date else None
        if age is not None and age < 12 and "birth_date" not in errors:
            errors["birth_date"] = _("Umur pada tanggal masuk kurang dari 12 tahun.")
        if (
            self.detention_date
            and self.admission_date
            and self.detention_date > self.admission_date
        ):
            errors["detention_date"] = _("Tanggal ditahan tidak boleh sesudah tanggal masuk.")
        if self.verdict_date and self.detention_date and self.verdict_date < self.detention_date:
            errors["verdict_date"] = _("Tanggal putusan tidak boleh sebelum tanggal ditahan.")
        if self.expiry_date and self.admission_date and self.expiry_date < self.admission_date:
            errors["expiry_date"] = _("Tanggal ekspirasi tidak boleh sebelum tanggal masuk.")
        if self.release_date and self.admission_date and self.release_date < self.admission_date:
            errors["release_date"] = _("Tanggal bebas tidak boleh sebelum tanggal masuk.")
        if self.release_date and self.expiry_date and self.release_date > self.expiry_date:
            errors["release_date"] = _("Tanggal bebas tidak boleh sesudah tanggal ekspirasi.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_in_custody(self) -> bool:
        return self.status == CustodyStatus.IN_CUSTODY

    @property
    def sentence_display(self) -> str:
        """Return the sentence as 'x tahun y bulan z hari'."""
        years, months = divmod(self.sentence_months or 0, 12)
        days = self.sentence_days or 0
        parts = []
        if years:
            parts.append(ngettext("%(n)d tahun", "%(n)d tahun", years) % {"n": years})
        if months:
            parts.append(ngettext("%(n)d bulan", "%(n)d bulan", months) % {"n": months})
        if days:
            parts.append(ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days})
        return " ".join(parts)

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


class CaseArticle(models.Model):
    """One article of the case, e.g. Pasal 114 ayat (1), or 'jo. Pasal 132 ayat (1)'."""

    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="articles", verbose_name=_("WBP")
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    law = models.CharField(_("undang-undang"), max_length=40, default="UU 35/2009")
    article = models.CharField(_("pasal"), max_length=10)
    paragraph = models.CharField(_("ayat"), max_length=10, blank=True)
    letter = models.CharField(_("huruf"), max_length=5, blank=True)
    junto = models.BooleanField(
        _("jo."), default=False, help_text=_("Dikaitkan (juncto) dengan pasal sebelumnya.")
    )

    class Meta:
        verbose_name = _("pasal perkara")
        verbose_name_plural = _("pasal perkara")
        ordering = ["inmate", "position", "id"]
        indexes = [models.Index(fields=["article"])]

    def __str__(self) -> str:
        text = f"Pasal {self.article}"
        if self.paragraph:
            text += f" ayat ({self.paragraph})"
        if self.letter:
            text += f" huruf {self.letter}"
        return f"jo. {text}" if self.junto else text


def articles_display(articles: list[CaseArticle]) -> str:
    """Join articles the way an indictment reads them, with the law at the end."""
    if not articles:
        return ""
    law = articles[0].law
    return " ".join(str(a) for a in articles) + f" {law}"


class CustodyEventKind(models.TextChoices):
    ADMITTED = "admitted", pgettext_lazy("custody event", "Masuk")
    TRANSFERRED = "transferred", _("Dipindahkan ke UPT lain")
    RELEASED = "released", _("Bebas")


class ReleaseKind(models.TextChoices):
    END_OF_SENTENCE = "bebas_murni", _("Bebas murni (akhir masa pidana)")
    PAROLE = "pb", _("Pembebasan Bersyarat (PB)")
    CONDITIONAL_LEAVE = "cb", _("Cuti Bersyarat (CB)")
    LEAVE_BEFORE_RELEASE = "cmb", _("Cuti Menjelang Bebas (CMB)")
    ACQUITTED = "putusan_bebas", _("Putusan bebas / lepas")
    DETENTION_ENDED = "penangguhan", _("Penangguhan atau pengalihan penahanan")
    DIED = "meninggal", _("Meninggal dunia")
    OTHER = "lainnya", _("Lainnya")


class CustodyEvent(models.Model):
    """A dated change of custody: admission, transfer out or release, with who and why."""

    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="custody_events", verbose_name=_("WBP")
    )
    # The WBP's facility, copied so a facility's figures read its own events through an index
    # instead of joining every WBP of the country.
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=CustodyEventKind.choices)
    occurred_on = models.DateField(_("tanggal"))
    release_kind = models.CharField(
        _("jenis pembebasan"), max_length=15, choices=ReleaseKind.choices, blank=True
    )
    to_facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UPT tujuan"),
    )
    reason = models.TextField(_("alasan"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("peristiwa penahanan")
        verbose_name_plural = _("peristiwa penahanan")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(
                fields=["facility", "kind", "occurred_on"], name="custody_facility_kind_on"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_date(self.occurred_on)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.facility_id is None and self.inmate_id is not None:
            self.facility_id = self.inmate.facility_id
        super().save(*args, **kwargs)


class ImportBatch(models.Model):
    """An uploaded SDP export waiting for confirmation; nothing is applied until confirmed."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("UPT")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("impor SDP")
        verbose_name_plural = _("impor SDP")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class TransferState(models.TextChoices):
    PENDING = "pending", _("Menunggu penerimaan")
    ACCEPTED = "accepted", _("Diterima")
    REFUSED = "refused", _("Ditolak")


class Transfer(models.Model):
    """A WBP handed over to another UPT in rehab: recorded at the origin, accepted (a new record
    at the destination, linked to this one as its previous episode) or refused (the WBP stays
    in custody at the origin) by the destination. The receiving UPT owns the row (`facility`):
    the origin follows it from its own WBP record."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT tujuan")
    )
    from_facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT asal")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="transfers_out", verbose_name=_("WBP")
    )
    on = models.DateField(_("tanggal pindah"))
    reason = models.CharField(_("alasan"), max_length=settings.TEXT_MAX_SHORT)
    letter_number = models.CharField(_("nomor surat pemindahan"), max_length=100, blank=True)
    state = models.CharField(
        _("status"), max_length=10, choices=TransferState.choices, default=TransferState.PENDING
    )
    received = models.OneToOneField(
        Inmate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfer_in",
        verbose_name=_("catatan di UPT tujuan"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    refusal_reason = models.CharField(_("alasan penolakan"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemindahan antar-UPT")
        verbose_name_plural = _("pemindahan antar-UPT")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["facility", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["inmate"],
                condition=models.Q(state="pending"),
                name="transfer_one_pending_per_inmate",
            ),
            models.CheckConstraint(
                condition=~models.Q(facility=models.F("from_facility")),
                name="transfer_to_another_facility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inmate} → {self.facility}"

    def get_absolute_url(self) -> str:
        return reverse("inmates:transfer_detail", args=[self.pk])


class OutsideTransfer(models.Model):
    """A WBP moved to a UPT that does not use rehab (named as typed, with its town): the episode
    here ends with it, and the hand-over for the receiving UPT is a PDF in two versions, the
    general one and the clinical one (health details) for the clinical roles."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT asal")
    )
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="outside_transfers", verbose_name=_("WBP")
    )
    upt_name = models.CharField(_("UPT tujuan di luar rehab"), max_length=150)
    upt_town = models.CharField(_("kota/kabupaten UPT tujuan"), max_length=100)
    upt_address = models.CharField(_("alamat UPT tujuan"), max_length=255, blank=True)
    on = models.DateField(_("tanggal pindah"))
    reason = models.CharField(_("alasan"), max_length=settings.TEXT_MAX_SHORT)
    letter_number = models.CharField(_("nomor surat pemindahan"), max_length=100, blank=True)
    handover = models.FileField(_("berkas serah terima"), upload_to="handover/", blank=True)
    clinical_handover = models.FileField(
        _("berkas serah terima klinis"), upload_to="handover/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemindahan ke UPT di luar rehab")
        verbose_name_plural = _("pemindahan ke UPT di luar rehab")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.inmate} → {self.upt_name}"

    def get_absolute_url(self) -> str:
        return reverse("inmates:handover_pdf", args=[self.pk])
