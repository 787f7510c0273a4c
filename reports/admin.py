from django.contrib import admin

from rehab.admin import ReadOnlyAdmin
from reports.models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Reports are made by the schedule and signed on their own page: the admin only looks."""

    list_display = ["facility", "kind", "period_start", "version", "current", "status"]
    list_filter = ["kind", "status", "current", "facility"]
    date_hierarchy = "period_start"
    list_select_related = ["facility"]
