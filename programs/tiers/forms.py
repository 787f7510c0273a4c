"""Forms for cohorts, schedules, enrolment moves, attendance and progress notes."""

from __future__ import annotations

import datetime
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Tier
from inmates.forms import DateInput
from programs.models import (
    TRANSITIONS,
    AttendanceStatus,
    Cohort,
    DropReason,
    Enrolment,
    EnrolmentState,
    Module,
    ProgressNote,
    SessionKind,
    Track,
)
from programs.scheduling import rooms
from programs.scheduling.models import Speaker
from rehab.formats import short_date
from rehab.forms import VersionedForm, bounded_text
from rehab.models import Facility

WEEKDAYS = [
    (0, _("Senin")), (1, _("Selasa")), (2, _("Rabu")), (3, _("Kamis")), (4, _("Jumat")),
    (5, _("Sabtu")), (6, _("Minggu")),
]  # fmt: skip


class TimeInput(forms.TimeInput):
    input_type = "time"


def correction_reason() -> forms.CharField:
    """The reason a correction of a saved record needs, kept in its history."""
    return forms.CharField(
        label=_("Alasan perubahan"),
        max_length=255,
        error_messages={"required": _("Tuliskan alasan perubahan.")},
        help_text=_("Tercatat di riwayat, misalnya: salah ketik tanggal mulai."),
    )


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
            self.fields["reason"] = correction_reason()
        else:
            cast(forms.ModelChoiceField, self.fields["facility"]).queryset = facilities
            cast(forms.ModelChoiceField, self.fields["track"]).queryset = Track.objects.filter(
                active=True
            )
        rooms.offer_rooms(
            self.fields["place"],
            [self.instance.facility_id] if editing else facilities.values_list("pk", flat=True),  # type: ignore[union-attr]
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
            *(["reason"] if editing else []),
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
        if self.instance.pk and cleaned.get("place"):
            full = rooms.capacity_problem(
                facility_id=self.instance.facility_id,
                place=cleaned["place"],
                participants=self.instance.enrolments.seated().count,
            )
            if full:
                self.add_error("place", full)
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
    speakers = forms.ModelMultipleChoiceField(
        label=_("Fasilitator"),
        queryset=Speaker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Fasilitator UPT yang memimpin; yang sudah bertugas di jam itu bentrok."),
        error_messages={"invalid_choice": _("Pilih fasilitator dari UPT angkatan ini.")},
    )

    def __init__(
        self, *args: Any, facility_id: int = 0, cohort: Cohort | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        cast(
            forms.ModelMultipleChoiceField, self.fields["speakers"]
        ).queryset = Speaker.objects.filter(facility_id=facility_id, active=True)
        rooms.offer_rooms(self.fields["place"], [facility_id])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lihat pratinjau jadwal")))
        self.helper.layout = Layout(
            "weekdays",
            Row(
                Column("start", css_class="col-md-2"),
                Column("end", css_class="col-md-2"),
                Column("kind", css_class="col-md-3"),
                Column("module", css_class="col-md-5"),
            ),
            "place",
            "speakers",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Jam selesai harus sesudah jam mulai."))
        if self.cohort is not None and "place" in cleaned:
            # An empty place is the cohort's own (services.schedule_plan).
            full = rooms.capacity_problem(
                facility_id=self.cohort.facility_id,
                place=cleaned["place"] or self.cohort.place,
                participants=self.cohort.enrolments.seated().count,
            )
            if full:
                self.add_error("place", full)
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
        # A tier change needs its destination: it has its own form (TierChangeForm).
        targets = [
            to
            for (frm, to), action in TRANSITIONS.items()
            if frm == state and action in allowed and to != EnrolmentState.CHANGED
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


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.track.name}"


class AssessmentChoiceField(forms.ModelChoiceField):
    """The WBP's own assessments: the date and the tier say which (no name to look up)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{short_date(obj.assessed_on)} · {obj.get_final_tier_display()}"


class TierChangeForm(forms.Form):
    """Where a participant moves to: a track of another tier, its cohort (or none yet), the
    signed re-assessment it follows from if any, and why."""

    track = forms.ModelChoiceField(label=_("Jalur tujuan"), queryset=Track.objects.none())
    cohort = CohortChoiceField(
        label=_("Angkatan tujuan"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("Belum ada angkatan (daftar tunggu)"),
        help_text=_("Bila angkatan penuh, peserta masuk daftar tunggunya."),
    )
    assessment = AssessmentChoiceField(
        label=_("Asesmen ulang"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("Tanpa asesmen ulang (alasan saja)"),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=settings.TEXT_MAX_SHORT,
    )

    def __init__(self, *args: Any, enrolment: Enrolment, today: datetime.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(forms.ModelChoiceField, fields["track"]).queryset = Track.objects.filter(
            active=True
        ).exclude(tier=enrolment.track.tier)
        cohorts = cast(forms.ModelChoiceField, fields["cohort"])
        cohorts.queryset = (
            Cohort.objects.filter(facility_id=enrolment.facility_id, end_date__gte=today)
            .exclude(track__tier=enrolment.track.tier)
            .select_related("track")
            .order_by("start_date", "name")
        )
        assessments = cast(forms.ModelChoiceField, fields["assessment"])
        assessments.queryset = (
            Assessment.objects.current()
            .filter(inmate_id=enrolment.inmate_id)
            .order_by("-assessed_on", "-id")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan pindah tingkat")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        track, cohort = cleaned.get("track"), cleaned.get("cohort")
        if track is not None and cohort is not None and cohort.track_id != track.pk:
            self.add_error("cohort", _("Angkatan ini bukan untuk jalur tujuan."))
        return cleaned


class ApprovalForm(forms.Form):
    """The warden's reason for the decision on the approvals page; needed to refuse."""

    reason = forms.CharField(
        label=_("Alasan (wajib bila menolak)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=settings.TEXT_MAX_SHORT,
        required=False,
    )


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

    def __init__(self, *args: Any, facility_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rooms.offer_rooms(self.fields["place"], [facility_id])
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


class RescheduleForm(VersionedForm, forms.Form):
    """Move a planned session or course meeting: the new day and hours, and why."""

    day = forms.DateField(label=_("Tanggal baru"), widget=DateInput())
    start = forms.TimeField(label=_("Jam mulai"), widget=TimeInput(format="%H:%M"))
    end = forms.TimeField(label=_("Jam selesai"), widget=TimeInput(format="%H:%M"))
    reason = forms.CharField(
        label=_("Alasan pindah jadwal"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan pindah jadwal.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Pindahkan jadwal")))
        self.helper.layout = Layout(
            Row(
                Column("day", css_class="col-md-4"),
                Column("start", css_class="col-md-4"),
                Column("end", css_class="col-md-4"),
            ),
            "reason",
            *self.version_slot(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


CHOICE_MISSING = {"invalid_choice": _("Pilih salah satu pilihan yang ada.")}


class CohortFilterForm(forms.Form):
    """Narrow the cohort list: by name, tier, and whether it is to come, running or over."""

    STATUS = [
        ("", _("Semua")), ("upcoming", _("Akan datang")), ("running", _("Berjalan")),
        ("finished", _("Selesai")),
    ]  # fmt: skip
    q = forms.CharField(label=_("Cari angkatan"), max_length=100, required=False)
    tier = forms.ChoiceField(
        label=_("Tingkat"),
        choices=[("", _("Semua")), *Tier.choices],
        required=False,
        error_messages=CHOICE_MISSING,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS, required=False, error_messages=CHOICE_MISSING
    )


class EnrolmentFilterForm(forms.Form):
    """Narrow the participant list: by WBP name or registration number, tier and status."""

    q = forms.CharField(label=_("Cari WBP"), max_length=100, required=False)
    tier = forms.ChoiceField(
        label=_("Tingkat"),
        choices=[("", _("Semua")), *Tier.choices],
        required=False,
        error_messages=CHOICE_MISSING,
    )
    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua")), *EnrolmentState.choices],
        required=False, error_messages=CHOICE_MISSING,
    )  # fmt: skip


class ContinueForm(forms.Form):
    """After a transfer: the cohort here to continue the programme in (or to restart in), and
    why. The two submit buttons say which."""

    cohort = CohortChoiceField(label=_("Angkatan di UPT ini"), queryset=Cohort.objects.none())
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=255
    )

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["cohort"]).queryset = cohorts
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(
            Submit("continue", _("Lanjutkan program (sesi terhitung)"), css_class="btn-primary")
        )
        self.helper.add_input(
            Submit("restart", _("Mulai ulang"), css_class="btn-outline-secondary")
        )
