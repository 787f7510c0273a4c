"""Admin: the programme catalogue (modules, tracks and their required sessions), each
facility's calendar of other activities, cohorts, and attendance (read only)."""

from django.contrib import admin

from programs.models import (
    Attendance,
    Cohort,
    Facilitator,
    FacilityActivity,
    Module,
    Track,
    TrackRequirement,
)
from rehab.admin import ReadOnlyAdmin


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class RequirementInline(admin.TabularInline):
    model = TrackRequirement
    extra = 1


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "tier", "kind", "duration_days", "active"]
    list_filter = ["tier", "kind", "active"]
    filter_horizontal = ["modules"]
    inlines = [RequirementInline]


@admin.register(FacilityActivity)
class FacilityActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "facility", "kind", "date", "weekday", "start_time", "end_time"]
    list_filter = ["facility", "kind"]
    search_fields = ["title"]
    list_select_related = ["facility"]
    show_full_result_count = False


class FacilitatorInline(admin.TabularInline):
    model = Facilitator
    extra = 1
    autocomplete_fields = ["user", "agency"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    """Cohorts are opened in the app; here their facilitators and external speakers are kept."""

    list_display = ["name", "facility", "track", "start_date", "end_date", "capacity"]
    list_filter = ["facility", "track"]
    search_fields = ["name"]
    inlines = [FacilitatorInline]
    list_select_related = ["facility", "track"]
    readonly_fields = ["created_by"]
    show_full_result_count = False


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    """Attendance is taken on the session's sheet in the app (with its rules and the absence
    follow-ups); here it can only be looked at."""

    list_display = ["session", "enrolment", "status", "recorded_by", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["session", "enrolment__inmate", "enrolment__track", "recorded_by"]
    raw_id_fields = ["session", "enrolment", "recorded_by"]
