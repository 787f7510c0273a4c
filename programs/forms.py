"""Forms for cohorts, schedules, enrolment moves, attendance and progress notes."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inmates.forms import DateInput, not_in_future
from programs.models import (
    TRAINEE_SEATED_STATES,
    TRANSITIONS,
    Aftercare,
    AidKind,
    AttendanceStatus,
    Cohort,
    Competency,
    Course,
    DropReason,
    EnrolmentState,
    Module,
    ProgressNote,
    ReleasePlan,
    SessionKind,
    Track,
    Trainee,
)
from rehab.forms import VersionedForm, bounded_text
from rehab.models import Agency, Facility, Role

WEEKDAYS = [
    (0, _("Senin")), (1, _("Selasa")), (2, _("Rabu")), (3, _("Kamis")), (4, _("Jumat")),
    (5, _("Sabtu")), (6, _("Minggu")),
]  # fmt: skip


class TimeInput(forms.TimeInput):
    input_type = "time"


class CohortForm(VersionedForm, forms.ModelForm):
    """A new cohort, or the edit of one (its facility and track, which hold its enrolments,
    stay as they are)."""

    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), empty_label=None
    )
    end_date = forms.DateField(
        label=_("Tanggal selesai"), widget=DateInput(), required=False,
        help_text=_("Kosongkan untuk mengikuti lama jalur program."),
    )  # fmt: skip

    class Meta:
        model = Cohort
        formfield_callback = bounded_text
        fields = ["facility", "track", "name", "start_date", "end_date", "capacity", "place"]
        widgets = {"start_date": DateInput()}

    def __init__(
        self, *args: Any, facilities: QuerySet[Facility] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["facility"], self.fields["track"]
        else:
            cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
            cast(forms.ModelChoiceField, self.fields["track"]).queryset = Track.objects.filter(
                active=True
            )
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", _("Simpan perubahan") if editing else _("Buat angkatan"))
        )
        head = (
            []
            if editing
            else [
                Row(
                    Column("facility", css_class="col-md-6"),
                    Column("track", css_class="col-md-6"),
                )
            ]
        )
        self.helper.layout = Layout(
            *head,
            "name",
            Row(
                Column("start_date", css_class="col-md-3"),
                Column("end_date", css_class="col-md-3"),
                Column("capacity", css_class="col-md-2"),
                Column("place", css_class="col-md-4"),
            ),
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        track = cleaned.get("track") or (self.instance.track if self.instance.pk else None)
        if start and track and not end:
            cleaned["end_date"] = start + datetime.timedelta(days=track.duration_days - 1)
            self.instance.end_date = cleaned["end_date"]
        elif start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if cleaned.get("capacity") == 0:
            self.add_error("capacity", _("Kapasitas paling sedikit 1."))
        elif (cleaned.get("capacity") or 0) > settings.MAX_ROSTER:
            self.add_error(
                "capacity",
                _("Kapasitas paling banyak %(limit)d.") % {"limit": settings.MAX_ROSTER},
            )
        elif self.instance.pk and cleaned.get("capacity") is not None:
            seated = self.instance.enrolments.seated().count()
            if cleaned["capacity"] < seated:
                self.add_error(
                    "capacity",
                    _("Kapasitas tidak boleh kurang dari peserta yang sudah ditempatkan (%(n)d).")
                    % {"n": seated},
                )
        return cleaned


class ScheduleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Hari"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        initial=[0, 2, 4],
    )  # fmt: skip
    start = forms.TimeField(label=_("Jam mulai"), widget=TimeInput(format="%H:%M"), initial="09:00")
    end = forms.TimeField(label=_("Jam selesai"), widget=TimeInput(format="%H:%M"), initial="11:00")
    kind = forms.ChoiceField(
        label=_("Jenis sesi"), choices=SessionKind.choices, initial=SessionKind.GROUP
    )
    module = forms.ModelChoiceField(label=_("Modul"), queryset=Module.objects.all(), required=False)
    place = forms.CharField(label=_("Tempat"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Buat jadwal")))
        self.helper.layout = Layout(
            "weekdays",
            Row(
                Column("start", css_class="col-md-2"),
                Column("end", css_class="col-md-2"),
                Column("kind", css_class="col-md-3"),
                Column("module", css_class="col-md-5"),
            ),
            "place",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Status baru"), choices=())
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=settings.TEXT_MAX_SHORT,
    )
    drop_reason = forms.ChoiceField(
        label=_("Alasan putus program"), choices=[("", "—"), *DropReason.choices], required=False
    )

    def __init__(self, *args: Any, state: str, allowed: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = [
            to for (frm, to), action in TRANSITIONS.items() if frm == state and action in allowed
        ]
        cast(forms.ChoiceField, self.fields["to"]).choices = [
            (t, EnrolmentState(t).label) for t in targets
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan perubahan status")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("to") == EnrolmentState.DROPPED_OUT and not cleaned.get("drop_reason"):
            self.add_error("drop_reason", _("Pilih alasan putus program."))
        return cleaned


ATTENDANCE_CHOICES = AttendanceStatus.choices


class NoteForm(forms.ModelForm):
    class Meta:
        model = ProgressNote
        formfield_callback = bounded_text
        fields = ["summary", "participation", "concerns", "next_steps"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Simpan draf")))
        self.helper.add_input(Submit("sign", _("Simpan dan tandatangani"), css_class="btn-success"))


class NoteDraftForm(VersionedForm, NoteForm):
    """The edit of a draft note, which another counselor may be editing too."""


class AmendNoteForm(NoteForm):
    amendment_reason = forms.CharField(
        label=_("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=settings.TEXT_MAX_SHORT,
    )

    class Meta(NoteForm.Meta):
        fields = ["amendment_reason", *NoteForm.Meta.fields]


class IndividualSessionForm(forms.Form):
    day = forms.DateField(label=_("Tanggal"), widget=DateInput())
    start = forms.TimeField(label=_("Jam mulai"), widget=TimeInput(format="%H:%M"), initial="09:00")
    end = forms.TimeField(label=_("Jam selesai"), widget=TimeInput(format="%H:%M"), initial="10:00")
    kind = forms.ChoiceField(
        label=_("Jenis sesi"), choices=SessionKind.choices, initial=SessionKind.INDIVIDUAL
    )
    module = forms.ModelChoiceField(label=_("Modul"), queryset=Module.objects.all(), required=False)
    place = forms.CharField(
        label=_("Tempat"), max_length=120, required=False, initial=_("Ruang konseling")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Jadwalkan sesi")))
        self.helper.layout = Layout(
            Row(
                Column("day", css_class="col-md-3"),
                Column("start", css_class="col-md-2"),
                Column("end", css_class="col-md-2"),
                Column("kind", css_class="col-md-5"),
            ),
            Row(Column("module", css_class="col-md-6"), Column("place", css_class="col-md-6")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


# --- release planning and post-release follow-up ---------------------------------------------


class ReleasePlanForm(VersionedForm, forms.ModelForm):
    # The first save creates the plan: two first saves must not overwrite each other either.
    version_on_create = True

    class Meta:
        model = ReleasePlan
        formfield_callback = bounded_text
        fields = [
            "bnnk_referral",
            "bapas_referral",
            "receiving_agency",
            "job_training_referral",
            "capital_aid_referral",
            "family_contact_name",
            "family_contact_relation",
            "family_contact_phone",
            "follow_up_address",
            "follow_up_phone",
            "counselor",
            "notes",
        ]
        widgets = {
            "follow_up_address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, facility_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["receiving_agency"]
        ).queryset = Agency.objects.filter(facilities=facility_id).order_by("name")
        counselors = cast(forms.ModelChoiceField, self.fields["counselor"])
        counselors.queryset = (
            get_user_model()
            .objects.filter(
                memberships__facility_id=facility_id,
                memberships__role=Role.COUNSELOR,
                memberships__active=True,
            )
            .order_by("first_name", "username")
        )
        counselors.label_from_instance = _person  # type: ignore[method-assign,assignment]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan rencana")))
        self.helper.layout = Layout(
            "version",
            Row(
                Column("bnnk_referral", "bapas_referral", css_class="col-md-6"),
                Column("job_training_referral", "capital_aid_referral", css_class="col-md-6"),
            ),
            Row(
                Column("receiving_agency", css_class="col-md-6"),
                Column("counselor", css_class="col-md-6"),
            ),
            Row(
                Column("family_contact_name", css_class="col-md-5"),
                Column("family_contact_relation", css_class="col-md-3"),
                Column("family_contact_phone", css_class="col-md-4"),
            ),
            Row(
                Column("follow_up_address", css_class="col-md-8"),
                Column("follow_up_phone", css_class="col-md-4"),
            ),
            "notes",
        )

    def clean_family_contact_phone(self) -> str:
        return _phone(self.cleaned_data["family_contact_phone"])

    def clean_follow_up_phone(self) -> str:
        return _phone(self.cleaned_data["follow_up_phone"])


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _phone(value: str) -> str:
    """Accept a telephone number written with spaces, dashes or a leading +62."""
    digits = value.replace(" ", "").replace("-", "")
    if digits and not re.fullmatch(r"\+?\d{8,15}", digits):
        raise forms.ValidationError(_("Nomor telepon hanya berisi angka (8 sampai 15 digit)."))
    return value.strip()


class AftercareForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Aftercare
        formfield_callback = bounded_text
        fields = [
            "contacted_on",
            "method",
            "outcome",
            "employment",
            "aid_kind",
            "aid_amount",
            "notes",
        ]
        widgets = {"contacted_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, released_on: datetime.date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.released_on = released_on
        for name in ("contacted_on", "method", "outcome"):
            self.fields[name].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan pemantauan")))
        self.helper.layout = Layout(
            "version",
            Row(
                Column("contacted_on", css_class="col-md-4"),
                Column("method", css_class="col-md-4"),
                Column("outcome", css_class="col-md-4"),
            ),
            Row(
                Column("employment", css_class="col-md-4"),
                Column("aid_kind", css_class="col-md-4"),
                Column("aid_amount", css_class="col-md-4"),
            ),
            "notes",
        )

    def clean_contacted_on(self) -> datetime.date:
        day = not_in_future(
            self.cleaned_data["contacted_on"],
            _("Tanggal pemantauan tidak boleh di masa depan."),
        )
        if self.released_on and day < self.released_on:
            raise forms.ValidationError(_("Tanggal pemantauan tidak boleh sebelum tanggal bebas."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("aid_kind") == AidKind.CAPITAL and cleaned.get("aid_amount") is None:
            self.add_error("aid_amount", _("Isi nilai bantuan modal usaha."))
        if not cleaned.get("aid_kind") and cleaned.get("aid_amount"):
            self.add_error("aid_kind", _("Pilih jenis bantuan untuk nilai yang diisi."))
        return cleaned


# --- skills training (pembinaan kemandirian) -------------------------------------------------


class CourseForm(VersionedForm, forms.ModelForm):
    """A new course of the catalogue, or the edit of one (its facility stays as it is)."""

    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), empty_label=None
    )

    class Meta:
        model = Course
        formfield_callback = bounded_text
        fields = [
            "facility",
            "kind",
            "name",
            "provider_kind",
            "provider_name",
            "hours",
            "capacity",
            "start_date",
            "end_date",
            "place",
            "competency_standard",
            "certificate_issuer",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(
        self, *args: Any, facilities: QuerySet[Facility] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["facility"]
        else:
            cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", _("Simpan perubahan") if editing else _("Buat pelatihan"))
        )
        self.helper.layout = Layout(
            Row(
                *([] if editing else [Column("facility", css_class="col-md-6")]),
                Column("kind", css_class="col-md-6"),
            ),
            "name",
            Row(
                Column("provider_kind", css_class="col-md-4"),
                Column("provider_name", css_class="col-md-8"),
            ),
            Row(
                Column("start_date", css_class="col-md-3"),
                Column("end_date", css_class="col-md-3"),
                Column("hours", css_class="col-md-3"),
                Column("capacity", css_class="col-md-3"),
            ),
            "place",
            Row(
                Column("competency_standard", css_class="col-md-7"),
                Column("certificate_issuer", css_class="col-md-5"),
            ),
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if cleaned.get("capacity") == 0:
            self.add_error("capacity", _("Kapasitas paling sedikit 1."))
        elif (cleaned.get("capacity") or 0) > settings.MAX_ROSTER:
            self.add_error(
                "capacity",
                _("Kapasitas paling banyak %(limit)d.") % {"limit": settings.MAX_ROSTER},
            )
        elif self.instance.pk and cleaned.get("capacity") is not None:
            seated = self.instance.trainees.filter(state__in=TRAINEE_SEATED_STATES).count()
            if cleaned["capacity"] < seated:
                self.add_error(
                    "capacity",
                    _(
                        "Kapasitas tidak boleh kurang dari peserta yang sudah mendapat tempat "
                        "(%(n)d)."
                    )
                    % {"n": seated},
                )
        if cleaned.get("hours") == 0:
            self.add_error("hours", _("Jumlah jam pelatihan paling sedikit 1."))
        if cleaned.get("provider_kind") in ("blk", "other") and not cleaned.get("provider_name"):
            self.add_error("provider_name", _("Tuliskan nama penyelenggara."))
        return cleaned


class MeetingScheduleForm(forms.Form):
    """Meetings on the chosen weekdays over the whole course."""

    prefix = "jadwal"  # two meeting forms share the schedule page

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Hari"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        initial=[0, 2],
    )  # fmt: skip
    start = forms.TimeField(label=_("Jam mulai"), widget=TimeInput(format="%H:%M"), initial="08:30")
    end = forms.TimeField(label=_("Jam selesai"), widget=TimeInput(format="%H:%M"), initial="11:30")
    topic = forms.CharField(label=_("Materi"), max_length=150, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("generate", _("Buat jadwal pertemuan")))
        self.helper.layout = Layout(
            "weekdays",
            Row(
                Column("start", css_class="col-md-3"),
                Column("end", css_class="col-md-3"),
                Column("topic", css_class="col-md-6"),
            ),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


class MeetingForm(forms.Form):
    """One meeting on one day of the course."""

    prefix = "satu"

    day = forms.DateField(label=_("Tanggal"), widget=DateInput())
    start = forms.TimeField(label=_("Jam mulai"), widget=TimeInput(format="%H:%M"), initial="08:30")
    end = forms.TimeField(label=_("Jam selesai"), widget=TimeInput(format="%H:%M"), initial="11:30")
    topic = forms.CharField(label=_("Materi"), max_length=150, required=False)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.helper = FormHelper()
        self.helper.add_input(Submit("add", _("Tambah pertemuan")))
        self.helper.layout = Layout(
            Row(
                Column("day", css_class="col-md-3"),
                Column("start", css_class="col-md-3"),
                Column("end", css_class="col-md-3"),
                Column("topic", css_class="col-md-3"),
            ),
        )

    def clean_day(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["day"]
        if not self.course.start_date <= day <= self.course.end_date:
            raise forms.ValidationError(
                _("Tanggal harus dalam masa pelatihan, %(start)s sampai %(end)s.")
                % {
                    "start": f"{self.course.start_date:%d-%m-%Y}",
                    "end": f"{self.course.end_date:%d-%m-%Y}",
                }
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


class TraineeCompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput())
    competency = forms.ChoiceField(
        label=_("Hasil uji kompetensi"), choices=Competency.choices, widget=forms.RadioSelect
    )
    certificate_number = forms.CharField(
        label=_("Nomor sertifikat"), max_length=60, required=False,
        help_text=_("Wajib untuk peserta yang kompeten."),
    )  # fmt: skip

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainee = trainee
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan hasil pelatihan")))
        self.helper.layout = Layout(
            Row(
                Column("completed_on", css_class="col-md-4"),
                Column("competency", css_class="col-md-4"),
                Column("certificate_number", css_class="col-md-4"),
            ),
        )

    def clean_completed_on(self) -> datetime.date:
        day: datetime.date = not_in_future(
            self.cleaned_data["completed_on"], _("Tanggal selesai tidak boleh di masa depan.")
        )
        if day < self.trainee.course.start_date:
            raise forms.ValidationError(
                _("Tanggal selesai tidak boleh sebelum pelatihan dimulai (%(start)s).")
                % {"start": f"{self.trainee.course.start_date:%d-%m-%Y}"}
            )
        return day

    def clean_certificate_number(self) -> str:
        number: str = self.cleaned_data["certificate_number"].strip()
        holder = (
            Trainee.objects.filter(facility_id=self.trainee.facility_id, certificate_number=number)
            .exclude(pk=self.trainee.pk)
            .select_related("inmate")
            .first()
            if number
            else None
        )
        if holder is not None:
            raise forms.ValidationError(
                _("Nomor sertifikat ini sudah dipakai untuk %(name)s.")
                % {"name": holder.inmate.full_name}
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        competent = cleaned.get("competency") == Competency.COMPETENT
        if competent and "certificate_number" in cleaned and not cleaned["certificate_number"]:
            self.add_error(
                "certificate_number", _("Isi nomor sertifikat untuk peserta yang kompeten.")
            )
        if cleaned.get("competency") == Competency.NOT_YET and cleaned.get("certificate_number"):
            self.add_error("certificate_number", _("Sertifikat hanya untuk peserta yang kompeten."))
        return cleaned
