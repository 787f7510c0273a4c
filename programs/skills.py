"""Skills training (pembinaan kemandirian): courses, places and the waitlist, meetings and
attendance, completion with a competency result."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from inmates.models import Inmate
from programs.models import TRAINEE_OPEN_STATES, Trainee, TraineeState
from rehab import audit


def trainees_end_on_release(*, inmate: Inmate, by: Any, on: datetime.date) -> None:
    """Take a released WBP out of every course they hold or wait for a place in."""
    for trainee in Trainee.objects.select_for_update().filter(
        inmate=inmate, state__in=TRAINEE_OPEN_STATES
    ):
        trainee.state = TraineeState.LEFT
        trainee.left_reason = _("WBP bebas.")
        trainee.save(update_fields=["state", "left_reason"])
        audit.record(
            facility=trainee.facility_id,
            actor=by,
            action="programs.trainee.left",
            target=inmate,
            summary=trainee.left_reason,
        )
