"""Reminders that reach people: in-app notifications (the bell) and a morning e-mail digest.

Rehab sits below the apps that know what is due, so it cannot import them: each app registers a
gatherer in its AppConfig.ready() (`register`). A gatherer is called with one facility and its
local day and returns a Reminder for each user who holds the right action there (`holders`).
The hourly beat task (rehab.tasks.notify_hourly) builds the reminders of the facilities where it
is 07.00 and mails the digest to the users who asked for it whose local hour is 7, once a day.

A title names what is due and whose case it is: never a result, a diagnosis or a note, because
titles also go out by e-mail.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rehab import access, audit
from rehab.models import (
    Facility,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
)

# The local hour the digest goes out and the reminders are built.
DIGEST_HOUR = 7
# At most this many reminders listed in one digest (the rest: "and N more" with the link).
DIGEST_MAX = 30


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    title: str
    url: str
    key: str


Gatherer = Callable[[Facility, datetime.date], Iterable[Reminder]]
_gatherers: list[Gatherer] = []


def register(gatherer: Gatherer) -> Gatherer:
    """Add a gatherer (called with a facility and its local day); usable as a decorator."""
    if gatherer not in _gatherers:
        _gatherers.append(gatherer)
    return gatherer


def holders(facility: Facility | int, action: str) -> list[int]:
    """The ids of the users with an active membership of the facility whose role allows the
    action (the same matrix as rehab.access)."""
    facility_id = facility if isinstance(facility, int) else facility.pk
    roles = access.PERMISSIONS.get(action, frozenset())
    return sorted(
        set(
            Membership.objects.active()
            .filter(facility_id=facility_id, role__in=roles, user__is_active=True)
            .values_list("user_id", flat=True)
        )
    )


def reminders_for(
    user_ids: Iterable[int], kind: str, title: str, url: str, key: str
) -> list[Reminder]:
    """The same reminder for each of the users."""
    return [Reminder(uid, kind, title, url, f"{kind}:{key}") for uid in user_ids]


def _muted() -> dict[int, set[str]]:
    return {
        user_id: set(muted)
        for user_id, muted in NotificationPreference.objects.exclude(muted=[]).values_list(
            "user_id", "muted"
        )
    }


def build(
    facilities: Iterable[Facility] | None = None, *, now: datetime.datetime | None = None
) -> int:
    """Create the reminders due in the facilities (all active ones by default) on their local
    day; a reminder already created for the same user and object is not created again, nor
    one of a kind the user muted. Unread ones no longer due (the transfer decided, the
    re-assessment done) are removed. Returns how many were created."""
    now = now or timezone.now()
    if facilities is None:
        facilities = Facility.objects.filter(active=True)
    muted = _muted()
    created = 0
    for facility in facilities:
        day = now.astimezone(facility.tzinfo).date()
        rows = [
            Notification(
                user_id=r.user_id,
                facility=facility,
                kind=r.kind,
                title=r.title[:255],
                url=r.url[:500],
                key=r.key[:200],
                created_at=now,
            )
            for gather in _gatherers
            for r in gather(facility, day)
            if r.kind not in muted.get(r.user_id, ())
        ]
        created += _store(facility, rows)
    return created


@transaction.atomic
def _store(facility: Facility, rows: list[Notification]) -> int:
    due = {(row.user_id, row.key) for row in rows}
    stale: list[int] = []
    existing: set[tuple[int, str]] = set()
    # Every notification of the facility still unread, and those already made of what is due.
    for pk, user_id, key, read_at, facility_id in Notification.objects.filter(
        models.Q(facility=facility, read_at__isnull=True)
        | models.Q(user_id__in={pair[0] for pair in due}, key__in={pair[1] for pair in due})
    ).values_list("pk", "user_id", "key", "read_at", "facility_id"):
        if (user_id, key) in due:
            existing.add((user_id, key))
        elif read_at is None and facility_id == facility.pk:
            stale.append(pk)
    if stale:
        Notification.objects.filter(pk__in=stale).delete()
    fresh: dict[tuple[int, str], Notification] = {}
    for row in rows:
        if (row.user_id, row.key) not in existing:
            fresh.setdefault((row.user_id, row.key), row)
    Notification.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh)


def user_zone(user_id: int) -> ZoneInfo | None:
    """The time zone of the user's facility (the first of his active memberships by name)."""
    zone = (
        Membership.objects.active()
        .filter(user_id=user_id)
        .order_by("facility__name", "facility_id")
        .values_list("facility__time_zone", flat=True)
        .first()
    )
    return ZoneInfo(zone) if zone else None


def owned(user: Any) -> models.QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk)


def unread(user: Any) -> models.QuerySet[Notification]:
    return owned(user).filter(read_at__isnull=True)


def unread_count(user: Any) -> int:
    return unread(user).count()


def preference(user: Any) -> NotificationPreference:
    """The user's settings (unsaved defaults if he never changed them)."""
    found = NotificationPreference.objects.filter(user_id=user.pk).first()
    return found or NotificationPreference(user_id=user.pk)


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read: the ones named, or all. Returns how many."""
    rows = unread(user)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


@transaction.atomic
def save_preference(user: Any, *, muted: list[str], digest: bool) -> NotificationPreference:
    """Store which kinds the user mutes and whether he wants the digest (audited); the unread
    notifications of the kinds muted are marked read."""
    pref = NotificationPreference.objects.select_for_update().filter(
        user_id=user.pk
    ).first() or NotificationPreference(user_id=user.pk)
    before = {"muted": list(pref.muted), "digest": pref.digest}
    valid = set(NotificationKind.values)
    pref.muted = sorted(k for k in set(muted) if k in valid)
    pref.digest = digest
    pref.save()
    # What is already waiting of a kind now muted leaves the bell too.
    unread(user).filter(kind__in=pref.muted).update(read_at=timezone.now())
    after = {"muted": pref.muted, "digest": pref.digest}
    changes = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
    if changes:
        audit.record(
            facility=None, actor=user, action="rehab.notification_preference.updated",
            target=pref, changes=changes,
        )  # fmt: skip
    return pref


def absolute(path: str) -> str:
    return settings.REHAB_BASE_URL.rstrip("/") + path


def _digest_message(
    user: Any, rows: list[Notification], total: int, day: datetime.date
) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "day": day,
        "rows": [(n, absolute(n.url)) for n in rows],
        "more": total - len(rows),
        "list_url": absolute(_list_path()),
    }
    subject = _("Pengingat hari ini: %(count)s hal") % {"count": total}
    text = render_to_string("rehab/notifications_digest.txt", context)
    html = render_to_string("rehab/notifications_digest.html", context)
    message = EmailMultiAlternatives(
        settings.EMAIL_SUBJECT_PREFIX + subject, text, settings.DEFAULT_FROM_EMAIL, [user.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _list_path() -> str:
    from django.urls import reverse

    return reverse("notifications:list")


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """Mail the digest to every user who asked for it, has an address, whose local hour is
    DIGEST_HOUR and who has not had today's; returns how many were sent. A user with nothing
    unread gets no mail."""
    now = now or timezone.now()
    sent = 0
    User = get_user_model()
    prefs = NotificationPreference.objects.filter(digest=True, user__is_active=True).exclude(
        user__email=""
    )
    for pref in prefs.select_related("user"):
        zone = user_zone(pref.user_id)
        if zone is None:
            continue
        local = now.astimezone(zone)
        if local.hour != DIGEST_HOUR or pref.digest_sent_on == local.date():
            continue
        # Claim the day first: a second run of the same hour sends nothing.
        claimed = (
            NotificationPreference.objects.filter(pk=pref.pk)
            .exclude(digest_sent_on=local.date())
            .update(digest_sent_on=local.date())
        )
        if not claimed:
            continue
        user = User.objects.get(pk=pref.user_id)
        waiting = unread(user).exclude(kind__in=pref.muted)
        total = waiting.count()
        if not total:
            continue
        rows = list(waiting.order_by("-created_at", "-id")[:DIGEST_MAX])
        with translation.override(settings.LANGUAGE_CODE):
            _digest_message(user, rows, total, local.date()).send()
        sent += 1
    return sent


def hourly(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The beat task's work: build the reminders of the facilities where it is DIGEST_HOUR
    now, then send the digests due this hour. Returns (created, sent)."""
    now = now or timezone.now()
    morning = [
        f
        for f in Facility.objects.filter(active=True)
        if now.astimezone(f.tzinfo).hour == DIGEST_HOUR
    ]
    created = build(morning, now=now) if morning else 0
    return created, send_digests(now=now)
