"""Admin screens for facilities, partner agencies, memberships, accounts and the append-only logs.

Every grant, change and revocation of a role, every account change, activation and password
set here goes through rehab.services, which writes who did it into the history.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rehab import services
from rehab.models import AccessLog, Agency, AuditEntry, Facility, Membership, Profile

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user", "agency"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    max_num = 1
    fields = ["rank", "nip"]


class AuditedMembershipsMixin:
    """Save membership inlines through the services, one audited step per row."""

    # The formset is Any: the admin hangs new_objects and friends on it.
    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: Any, change: bool
    ) -> None:
        if formset.model is Profile:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for row in formset.forms:
                if row.has_changed():
                    data = {name: row.cleaned_data[name] for name in row.changed_data}
                    profile = services.profile_update(
                        user=form.instance, by=request.user, data=data
                    )
                    formset.changed_objects.append((profile, row.changed_data))
            return
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        # The admin's own change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.initial_forms:
            membership = row.instance
            if formset.can_delete and formset._should_delete_form(row):
                services.membership_delete(membership=membership, by=request.user)
                formset.deleted_objects.append(membership)
            elif row.has_changed():
                data = {name: row.cleaned_data[name] for name in row.changed_data}
                services.membership_update(membership=membership, by=request.user, data=data)
                formset.changed_objects.append((membership, row.changed_data))
        for row in formset.extra_forms:
            if not row.has_changed() or (formset.can_delete and formset._should_delete_form(row)):
                continue
            membership = formset.save_new(row, commit=False)
            services.membership_grant(membership=membership, by=request.user)
            formset.new_objects.append(membership)


@admin.register(Facility)
class FacilityAdmin(AuditedMembershipsMixin, admin.ModelAdmin):
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
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Facility, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:  # a new facility gets the national holidays and what else the apps set up
            services.facility_create(facility=obj, by=request.user)


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
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            services.membership_update(membership=obj, by=request.user, data=data)
        else:
            services.membership_grant(membership=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_delete(membership=obj, by=request.user)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            services.membership_delete(membership=membership, by=request.user)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(AuditedMembershipsMixin, UserAdmin):
    """Django's user admin, with roles inline and every change written to the history.

    Accounts are deactivated, never deleted: the history names them.
    """

    inlines = [ProfileInline, MembershipInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            services.user_create(user=obj, by=request.user)
            return
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        services.user_update(user=obj, by=request.user, data=data)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Set a password through the service; the page and its errors stay Django's own."""
        user = self.get_object(request, unquote(id))
        if user is None or request.method != "POST":
            return super().user_change_password(request, id, form_url)
        if not self.has_change_permission(request, user):
            return super().user_change_password(request, id, form_url)
        form = self.change_password_form(user, request.POST)
        if not form.is_valid():
            return super().user_change_password(request, id, form_url)
        usable = form.cleaned_data["set_usable_password"]
        if not usable and "unset-password" not in request.POST:
            return super().user_change_password(request, id, form_url)  # conflicting buttons
        password = form.cleaned_data["password1"] if usable else None
        services.user_password_set(user=user, by=request.user, password=password)
        self.log_change(request, user, self.construct_change_message(request, form, []))
        messages.success(
            request,
            _("Kata sandi diganti.") if usable else _("Masuk dengan kata sandi dimatikan."),
        )
        update_session_auth_hash(request, user)
        opts = user._meta
        name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change"
        return HttpResponseRedirect(reverse(name, args=[user.pk]))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are append-only: nobody edits or deletes them, not even here."""

    # Logs grow with the country: a filtered page counts its own rows, not the whole table again.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    # The actor as they were named when they acted, not as the account is named now.
    list_display = [
        "created_at",
        "facility",
        "actor_username",
        "actor_name",
        "action",
        "target_type",
        "target_id",
    ]
    list_filter = ["facility", "action"]
    list_select_related = ["facility"]
    search_fields = ["actor_username", "actor_name", "action"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "facility",
        "username",
        "user_name",
        "action",
        "target_type",
        "target_id",
    ]
    list_filter = ["facility", "action"]
    list_select_related = ["facility"]


# The admin's title reads the project's name, not "Administrasi Django".
admin.site.site_header = gettext_lazy("Administrasi sistem rehabilitasi")
admin.site.site_title = gettext_lazy("Administrasi sistem rehabilitasi")
