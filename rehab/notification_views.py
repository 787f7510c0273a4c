"""The bell's count, the list of one's notifications, marking them read and the settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehab import notifications
from rehab.forms import NotificationPreferenceForm

LIST_SIZE = 100


def _list(request: HttpRequest, form: NotificationPreferenceForm | None = None) -> TemplateResponse:
    rows = list(
        notifications.owned(request.user)
        .select_related("facility")
        .order_by("-created_at", "-id")[:LIST_SIZE]
    )
    if form is None:
        pref = notifications.preference(request.user)
        form = NotificationPreferenceForm(initial={"muted": pref.muted, "digest": pref.digest})
    context = {
        "rows": rows,
        "unread": sum(1 for n in rows if n.read_at is None),
        "form": form,
        "has_email": bool(getattr(request.user, "email", "")),
    }
    return TemplateResponse(request, "rehab/notifications.html", context)


@require_GET
def notification_list(request: HttpRequest) -> TemplateResponse:
    return _list(request)


@require_GET
def notification_count(request: HttpRequest) -> TemplateResponse:
    """The bell's badge, loaded by htmx after the page so no page pays a query for it."""
    context = {"count": notifications.unread_count(request.user)}
    return TemplateResponse(request, "rehab/_notification_count.html", context)


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (id=<pk>) or all of them (all=1)."""
    if request.POST.get("all"):
        notifications.mark_read(request.user)
    elif (pk := request.POST.get("id", "")).isdigit() and len(pk) < 19:
        notifications.mark_read(request.user, [int(pk)])
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("notifications:list")
    form = NotificationPreferenceForm(request.POST)
    if form.is_valid() and form.cleaned_data["digest"] and not getattr(request.user, "email", ""):
        form.add_error(
            "digest",
            _("Akun Anda belum punya alamat e-mail. Minta administrator mengisinya lebih dulu."),
        )
    if not form.is_valid():
        return _list(request, form)
    notifications.save_preference(
        request.user, muted=form.cleaned_data["muted"], digest=form.cleaned_data["digest"]
    )
    messages.success(request, _("Pengaturan notifikasi disimpan."))
    return redirect("notifications:list")
