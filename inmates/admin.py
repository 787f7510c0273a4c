"""Admin view of WBP records: read-mostly; changes go through the app so history is kept."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from inmates.models import Inmate


@admin.register(Inmate)
class InmateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "registration_number", "register_class", "facility", "status"]
    list_filter = ["facility", "status", "register_class"]
    search_fields = ["full_name", "registration_number", "nik"]
    list_select_related = ["facility"]

    # Edits here would bypass the change history and the conflict check of the app.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
