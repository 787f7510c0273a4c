"""Reminders of the assessments: re-assessments due within the week, and overdue ones.

The title never says which rule set the date: a re-assessment after a positive urine test
would betray the result.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import reviews
from rehab.models import Facility, NotificationKind
from rehab.notifications import Reminder, holders, reminders_for

NOTICE_DAYS = 7


def reviews_due(facility: Facility, day: datetime.date) -> list[Reminder]:
    users = holders(facility, "assessment.record")
    if not users:
        return []
    found: list[Reminder] = []
    due = reviews.due_by([facility.pk], day + datetime.timedelta(days=NOTICE_DAYS), limit=500)
    for review in due:
        values = {"name": review.inmate.full_name, "on": review.due_on.strftime("%d-%m-%Y")}
        if review.is_overdue(day):
            kind = NotificationKind.REVIEW_OVERDUE
            title = _("Asesmen ulang %(name)s terlambat (sejak %(on)s)") % values
        else:
            kind = NotificationKind.REVIEW_DUE
            title = _("Asesmen ulang %(name)s jatuh tempo %(on)s") % values
        url = reverse("assessments:reviews", args=[review.inmate.pk])
        key = f"{review.inmate.pk}:{review.key}:{review.due_on.isoformat()}"
        found += reminders_for(users, kind, title, url, key)
    return found
