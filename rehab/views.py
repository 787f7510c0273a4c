"""Accounts and the "today" page every role lands on after signing in."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rehab import access, health, services
from rehab.forms import LoginForm, PasswordChangeForm
from rehab.sections import Section
from rehab.sections import today as today_sections


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The demo says on its front door that it signs in without the second step.
        demo_without_mfa = settings.REHAB_DEMO and not settings.REHAB_REQUIRE_MFA
        return {**super().get_context_data(**kwargs), "demo_without_mfa": demo_without_mfa}


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        # The service sets it and writes the history entry; the form only validates.
        password = form.cleaned_data["new_password1"]
        services.user_password_set(user=form.user, by=self.request.user, password=password)
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


def today(request: HttpRequest) -> TemplateResponse:
    """Show each person what is waiting for them today, by the roles they hold."""
    day = timezone.localdate()
    context = {
        "day": day,
        "memberships": access.memberships(request.user),
        "sections": today_sections.build(request, day),
    }
    return TemplateResponse(request, "rehab/today.html", context)


@today_sections.register(order=5)
def self_grants_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Clinical roles an administrator gave himself in the warden's facilities."""
    facility_ids = access.facility_ids_for(request.user, "membership.review_self_grant")
    if not facility_ids:
        return None
    entries = list(
        services.self_grants_to_review(facility_ids)
        .select_related("facility")
        .order_by("-created_at", "-id")[:20]
    )
    if not entries:
        return None
    return Section("rehab/_today_self_grants.html", {"entries": entries})


@require_POST
def self_grant_acknowledge(request: HttpRequest) -> HttpResponse:
    """The warden marks an administrator's clinical self-grant as seen."""
    facility_ids = access.require_somewhere(request.user, "membership.review_self_grant")
    entry_id = request.POST.get("entry", "").strip()
    if entry_id:
        entry = (
            services.self_grants_to_review(facility_ids)
            .filter(pk=int(entry_id) if entry_id.isdigit() else 0)
            .first()
        )
        if entry is None:
            raise Http404
        services.self_grant_acknowledge(entry=entry, by=request.user)
        messages.success(request, _("Pemberian peran ditandai sudah diketahui."))
    return redirect("today")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database, the broker and the file storage work, else 503 naming
    what is down. Open to monitors without signing in; it shows no data."""
    status = {name: "ok" if check() else "down" for name, check in health.CHECKS.items()}
    down = "down" in status.values()
    response = JsonResponse(status, status=503 if down else 200)
    # The check has logged what failed as a warning; Django would also log every 503 of a
    # monitor polling every few seconds as an error.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
