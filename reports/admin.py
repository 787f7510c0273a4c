from django.contrib import admin

from rehab.admin import ReadOnlyAdmin
from reports.models import MonthlySummary, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Reports are made by the schedule and signed on their own page: the admin only looks."""

    list_display = ["facility", "kind", "period_start", "version", "current", "status"]
    list_filter = ["kind", "status", "current", "facility"]
    date_hierarchy = "period_start"
    list_select_related = ["facility"]


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(ReadOnlyAdmin):
    """Summaries are stored by the reports, beat and the roll-up's button: the admin only looks."""

    list_display = ["facility", "year", "month", "report", "computed_at"]
    list_filter = ["year", "month"]
    list_select_related = ["facility", "report__facility"]
