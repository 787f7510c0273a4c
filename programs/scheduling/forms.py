"""Forms for the blocks on a WBP's day (court hearings, health appointments, visits,
transfers out)."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from inmates.forms import DateInput
from inmates.models import CustodyStatus, Inmate
from programs.scheduling import rooms
from programs.scheduling.bulk import MAX_SHIFT_DAYS
from programs.scheduling.models import BlockKind, HoursPeriod, PersonBlock, Room, Speaker
from programs.scheduling.rooms import HOURS_FIELDS, ROOM_FIELDS
from programs.scheduling.services import ACTIVITY_FIELDS, BLOCK_FIELDS, SPEAKER_FIELDS
from programs.tiers.forms import TimeInput
from programs.tiers.models import FacilityActivity
from rehab.forms import VersionedForm, bounded_text
from rehab.models import Facility


class ChangeAllForm(forms.Form):
    """Cancel, or move by a shift, every planned session (or meeting) from a date on."""

    ACTIONS = [("cancel", _("Batalkan semua")), ("move", _("Pindahkan semua"))]
    since = forms.DateField(label=_("Mulai tanggal"), widget=DateInput())
    action = forms.ChoiceField(
        label=_("Perubahan"), choices=ACTIONS, widget=forms.RadioSelect, initial="move"
    )
    shift_days = forms.IntegerField(
        label=_("Geser (hari)"),
        required=False,
        initial=0,
        min_value=-MAX_SHIFT_DAYS,
        max_value=MAX_SHIFT_DAYS,
        help_text=_("Misalnya 7 untuk satu minggu kemudian, -1 untuk sehari lebih awal."),
    )
    start = forms.TimeField(
        label=_("Jam mulai baru"),
        required=False,
        widget=TimeInput(format="%H:%M"),
        help_text=_("Kosongkan untuk tetap pada jam semula. Lama sesi tidak berubah."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan perubahan jadwal.")},
    )
    # The fingerprint of the sessions the preview showed (programs.scheduling.bulk).
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("step", _("Pratinjau")))
        self.helper.layout = Layout(
            Row(Column("since", css_class="col-md-4"), Column("action", css_class="col-md-8")),
            Row(Column("shift_days", css_class="col-md-4"), Column("start", css_class="col-md-4")),
            "reason",
            "token",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        unchanged = not cleaned.get("shift_days") and not cleaned.get("start")
        if cleaned.get("action") == "move" and unchanged and "shift_days" not in self.errors:
            self.add_error("shift_days", _("Isi pergeseran hari atau jam mulai baru."))
        return cleaned


class BlockForm(VersionedForm, forms.ModelForm):
    """One block on the WBP's day; hours empty means the whole day."""

    class Meta:
        model = PersonBlock
        formfield_callback = bounded_text
        fields = BLOCK_FIELDS
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(format="%H:%M"),
            "end_time": TimeInput(format="%H:%M"),
        }
        help_texts = {
            "start_time": _("Kosongkan jam bila sepanjang hari."),
            "court": _("Untuk sidang: nama pengadilan."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Isi tanggalnya.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan")))
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-md-4"),
                Column("date", css_class="col-md-4"),
                Column("start_time", css_class="col-md-2"),
                Column("end_time", css_class="col-md-2"),
            ),
            Row(Column("court", css_class="col-md-7"), Column("case_number", css_class="col-md-5")),
            "note",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if (start is None) != (end is None) and "start_time" not in self.errors:
            self.add_error(
                "end_time" if start else "start_time",
                _("Isi jam mulai dan jam selesai, atau kosongkan keduanya (sepanjang hari)."),
            )
        elif start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus sesudah jam mulai."))
        if cleaned.get("kind") == BlockKind.COURT and not (cleaned.get("court") or "").strip():
            self.add_error("court", _("Tuliskan nama pengadilan untuk jadwal sidang."))
        return cleaned


class SeparationForm(forms.Form):
    """Two WBP to keep apart, by registration number, and why."""

    facility = forms.ModelChoiceField(label=_("UPT"), queryset=Facility.objects.none())
    first = forms.CharField(label=_("Nomor registrasi WBP pertama"), max_length=40)
    second = forms.CharField(label=_("Nomor registrasi WBP kedua"), max_length=40)
    reason = forms.CharField(
        label=_("Alasan dipisah"),
        max_length=255,
        help_text=_("Hanya terlihat oleh staf dan Kepala Rutan, misalnya: satu berkas perkara."),
        error_messages={"required": _("Tuliskan alasan mereka harus dipisah.")},
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["facility"])
        field.queryset = facilities
        if len(facilities) == 1:
            field.initial = facilities[0].pk
            field.widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Catat harus dipisah")))
        self.helper.layout = Layout(
            "facility",
            Row(Column("first", css_class="col-md-6"), Column("second", css_class="col-md-6")),
            "reason",
        )

    def _inmate(self, name: str) -> Inmate | None:
        facility, number = self.cleaned_data.get("facility"), self.cleaned_data.get(name)
        if not facility or not number:
            return None
        found = Inmate.objects.filter(
            facility=facility,
            registration_number__iexact=number.strip(),
            status=CustodyStatus.IN_CUSTODY,
        ).first()
        if found is None:
            self.add_error(name, _("Tidak ada WBP dalam tahanan dengan nomor registrasi ini."))
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        cleaned["first_inmate"] = self._inmate("first")
        cleaned["second_inmate"] = self._inmate("second")
        first, second = cleaned["first_inmate"], cleaned["second_inmate"]
        if first and second and first.pk == second.pk:
            self.add_error("second", _("Pilih dua WBP yang berbeda."))
        return cleaned


class SpeakerForm(VersionedForm, forms.ModelForm):
    """A facilitator of the facility: a staff account, or an outside speaker and their agency."""

    class Meta:
        model = Speaker
        fields = ["facility", *SPEAKER_FIELDS]
        help_texts = {
            "agency": _("Misalnya BNNK, Dinkes, Kemenag, Disnakertrans, atau nama LSM."),
            "topics": _("Materi yang dibawakan, dipisah koma."),
        }

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility = cast(forms.ModelChoiceField, self.fields["facility"])
        facility.queryset = facilities
        if self.instance.pk:
            facility.disabled = True
        elif len(facilities) == 1:
            # One facility: it is the facilitator's, whatever the form posts.
            self.only_facility = facilities[0]
            facility.required = False
            facility.widget = forms.HiddenInput()
        users = cast(forms.ModelChoiceField, self.fields["user"])
        users.queryset = (
            get_user_model()
            .objects.filter(memberships__facility__in=facilities, is_active=True)
            .distinct()
            .order_by("first_name", "username")
        )
        users.help_text = _("Untuk petugas UPT; kosongkan untuk narasumber luar.")
        self.fields["name"].required = False
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan")))
        self.helper.layout = Layout(
            "facility",
            Row(Column("user", css_class="col-md-6"), Column("name", css_class="col-md-6")),
            Row(Column("agency", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            "topics",
            "active",
            *self.version_slot(),
        )

    only_facility: Facility | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if self.only_facility is not None:
            cleaned["facility"] = self.only_facility
        user = cleaned.get("user")
        facility = cleaned.get("facility") or (
            self.instance.facility if self.instance.facility_id else None
        )
        if user and facility and not user.memberships.filter(facility=facility).exists():
            self.add_error("user", _("Petugas ini bukan anggota UPT fasilitator ini."))
        if not (cleaned.get("name") or "").strip():
            if user:
                cleaned["name"] = user.get_full_name() or user.get_username()
            else:
                self.add_error("name", _("Isi nama narasumber atau pilih akun petugas."))
        return cleaned


class ActivityForm(VersionedForm, forms.ModelForm):
    """Something else on the facility's calendar: one date, or every week on a weekday; hours
    empty means the whole day (a holiday, say)."""

    class Meta:
        model = FacilityActivity
        formfield_callback = bounded_text
        fields = ["facility", *ACTIVITY_FIELDS]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(format="%H:%M"),
            "end_time": TimeInput(format="%H:%M"),
        }
        help_texts = {
            "date": _("Untuk kegiatan sekali; kosongkan bila tiap minggu."),
            "weekday": _("Untuk kegiatan tiap minggu (apel, ibadah, jam kunjungan)."),
            "start_time": _("Kosongkan jam bila sepanjang hari."),
        }

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility = cast(forms.ModelChoiceField, self.fields["facility"])
        facility.queryset = facilities
        if self.instance.pk:
            facility.disabled = True
        rooms.offer_rooms(self.fields["place"], facilities.values_list("pk", flat=True))
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan")))
        self.helper.layout = Layout(
            Row(Column("facility", css_class="col-md-6"), Column("kind", css_class="col-md-6")),
            "title",
            Row(
                Column("date", css_class="col-md-3"),
                Column("weekday", css_class="col-md-3"),
                Column("start_time", css_class="col-md-3"),
                Column("end_time", css_class="col-md-3"),
            ),
            "place",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        dated, weekly = cleaned.get("date") is not None, cleaned.get("weekday") is not None
        if dated == weekly and "date" not in self.errors:
            self.add_error(
                "date", _("Isi tanggal (sekali) atau hari (tiap minggu), salah satu saja.")
            )
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if (start is None) != (end is None) and "start_time" not in self.errors:
            self.add_error(
                "end_time" if start else "start_time",
                _("Isi jam mulai dan jam selesai, atau kosongkan keduanya (sepanjang hari)."),
            )
        elif start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


class RoomForm(VersionedForm, forms.ModelForm):
    """A room of the facility and how many it seats; deactivated, not deleted, when it is no
    longer used (sessions keep its name)."""

    class Meta:
        model = Room
        fields = ["facility", *ROOM_FIELDS]
        help_texts = {
            "capacity": _("Berapa peserta yang muat untuk sesi kelompok."),
            "active": _("Ruang yang tidak aktif tidak ditawarkan lagi di formulir jadwal."),
        }

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility = cast(forms.ModelChoiceField, self.fields["facility"])
        facility.queryset = facilities
        if self.instance.pk:
            facility.disabled = True
        self.fields["name"].error_messages["required"] = _("Isi nama ruangnya.")
        self.fields["capacity"].error_messages["required"] = _("Isi kapasitas ruang.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan")))
        self.helper.layout = Layout(
            "facility",
            Row(Column("name", css_class="col-md-8"), Column("capacity", css_class="col-md-4")),
            "active",
            *self.version_slot(),
        )

    def clean_capacity(self) -> int:
        capacity: int = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError(_("Kapasitas paling sedikit 1."))
        if capacity > settings.MAX_ROSTER:
            raise forms.ValidationError(
                _("Kapasitas paling banyak %(limit)d.") % {"limit": settings.MAX_ROSTER}
            )
        return capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        facility = cleaned.get("facility") or (
            self.instance.facility if self.instance.facility_id else None
        )
        name = (cleaned.get("name") or "").strip()
        if (
            facility
            and name
            and rooms.name_taken(facility_id=facility.pk, name=name, exclude=self.instance.pk)
        ):
            self.add_error(
                "name", _("UPT ini sudah punya ruang bernama %(name)s.") % {"name": name}
            )
        return cleaned

    def validate_unique(self) -> None:
        """The name check is in clean (case-insensitive, with a clear message)."""


class HoursPeriodForm(VersionedForm, forms.ModelForm):
    """The dates and the daily hours of a period such as Ramadan, when sessions run only
    within those hours."""

    class Meta:
        model = HoursPeriod
        fields = ["facility", *HOURS_FIELDS]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "start_time": TimeInput(format="%H:%M"),
            "end_time": TimeInput(format="%H:%M"),
        }
        help_texts = {
            "start_time": _("Sesi program di masa ini hanya boleh mulai dan selesai di antara "
                            "dua jam ini."),
        }  # fmt: skip

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility = cast(forms.ModelChoiceField, self.fields["facility"])
        facility.queryset = facilities
        if self.instance.pk:
            facility.disabled = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan")))
        self.helper.layout = Layout(
            "facility",
            "title",
            Row(
                Column("start_date", css_class="col-md-3"),
                Column("end_date", css_class="col-md-3"),
                Column("start_time", css_class="col-md-3"),
                Column("end_time", css_class="col-md-3"),
            ),
            "note",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        first, last = cleaned.get("start_date"), cleaned.get("end_date")
        if first and last and last < first:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif first and last and (last - first).days > 62:
            self.add_error("end_date", _("Masa jam khusus paling lama dua bulan."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus sesudah jam mulai."))
        return cleaned
