"""Reminders of the WBP records: incoming transfers waiting for the destination's decision."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from inmates.models import Transfer, TransferState
from rehab.models import Facility, NotificationKind
from rehab.notifications import Reminder, holders, reminders_for


def incoming_transfers(facility: Facility, day: datetime.date) -> list[Reminder]:
    """A transfer to this facility still pending: for whoever may receive it."""
    users = holders(facility, "transfer.receive")
    if not users:
        return []
    found: list[Reminder] = []
    pending = Transfer.objects.filter(facility=facility, state=TransferState.PENDING)
    for transfer in pending.select_related("inmate", "from_facility").order_by("on", "id"):
        title = _("WBP pindahan dari %(origin)s: %(name)s, %(on)s") % {
            "origin": transfer.from_facility.name,
            "name": transfer.inmate.full_name,
            "on": transfer.on.strftime("%d-%m-%Y"),
        }
        url = reverse("inmates:transfer_detail", args=[transfer.pk])
        found += reminders_for(
            users, NotificationKind.TRANSFER_INCOMING, title, url, str(transfer.pk)
        )
    return found
