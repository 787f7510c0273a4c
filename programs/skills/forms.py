"""Forms for skills courses, their meetings and trainees."""

from __future__ import annotations

import datetime
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inmates.forms import DateInput, not_in_future
from programs.models import (
    TRAINEE_SEATED_STATES,
    Competency,
    Course,
    Trainee,
)
from programs.scheduling import rooms
from programs.tiers.forms import WEEKDAYS, TimeInput, correction_reason
from rehab.formats import short_date
from rehab.forms import VersionedForm, bounded_text
from rehab.models import Facility


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
            self.fields["reason"] = correction_reason()
        else:
            cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
        rooms.offer_rooms(
            self.fields["place"],
            [self.instance.facility_id] if editing else facilities.values_list("pk", flat=True),  # type: ignore[union-attr]
        )
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
            *(["reason"] if editing else []),
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
        if self.instance.pk and cleaned.get("place"):
            # The course's meetings are held in its place: the trainees holding a place fill it.
            full = rooms.capacity_problem(
                facility_id=self.instance.facility_id,
                place=cleaned["place"],
                participants=self.instance.trainees.filter(state__in=TRAINEE_SEATED_STATES).count,
            )
            if full:
                self.add_error("place", full)
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
                    "start": short_date(self.course.start_date),
                    "end": short_date(self.course.end_date),
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
                % {"start": short_date(self.trainee.course.start_date)}
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
