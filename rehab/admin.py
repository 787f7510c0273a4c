"""Admin screens for facilities, partner agencies, memberships and the append-only logs."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rehab.models import AccessLog, Agency, AuditEntry, Facility, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user", "agency"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "facility_class",
        "regency",
        "province",
        "time_zone",
        "active",
    ]
    list_filter = ["kind", "province", "active"]
    search_fields = ["name", "code", "regency"]
    inlines = [MembershipInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "regency", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "regency"]
    filter_horizontal = ["facilities"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "facility", "role", "agency", "active"]
    list_filter = ["role", "facility", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "facility", "agency"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are append-only: nobody edits or deletes them, not even here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "facility", "actor", "action", "target_type", "target_id"]
    list_filter = ["facility", "action"]
    list_select_related = ["facility", "actor"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "facility", "user", "action", "target_type", "target_id"]
    list_filter = ["facility", "action"]
    list_select_related = ["facility", "user"]
