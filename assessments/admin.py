"""Admin: assessor certificates. Clinical records are not edited here (history and
confidentiality live in the app), so they are not registered."""

from django.contrib import admin

from assessments.models import AssessorCredential


@admin.register(AssessorCredential)
class AssessorCredentialAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "certificate_number",
        "issuing_body",
        "issuing_body_name",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["issuing_body"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "certificate_number"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "issuing_body"]
