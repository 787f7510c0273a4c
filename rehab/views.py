"""Accounts and the "today" page every role lands on after signing in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone

from rehab import access
from rehab.forms import LoginForm, PasswordChangeForm
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


def today(request: HttpRequest) -> TemplateResponse:
    """Show each person what is waiting for them today, by the roles they hold."""
    day = timezone.localdate()
    context = {
        "day": day,
        "memberships": access.memberships(request.user),
        "sections": today_sections.build(request, day),
    }
    return TemplateResponse(request, "rehab/today.html", context)
