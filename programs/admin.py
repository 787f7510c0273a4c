"""Admin: the programme catalogue (modules, tracks and their required sessions) and each
facility's calendar of other activities."""

from django.contrib import admin

from programs.models import Cohort, Facilitator, FacilityActivity, Module, Track, TrackRequirement


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
