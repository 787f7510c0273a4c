"""Demo release plans and post-release follow-ups, through the same services as the screens.

The WBP released by the inmates demo already have their follow-up schedule (release creates it).
Here: release plans for those released within the next 90 days (some complete, some half
done), a few releases last month with a plan and a hand-over, and the follow-ups that fell due
recorded with a realistic spread of outcomes, leaving a couple overdue for the today page.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from inmates.models import CustodyStatus, Inmate, ReleaseKind
from inmates.services import inmate_release
from programs.aftercare.services import aftercare_record, release_plan_save
from programs.demo import LOCALES
from programs.models import (
    OPEN_STATES,
    Aftercare,
    AidKind,
    ContactMethod,
    Employment,
    Outcome,
    ReleasePlan,
)
from rehab.models import Agency, AgencyKind, Facility

# Outcomes in the order follow-ups are recorded: mostly recovering, as BNN's target expects.
OUTCOMES = [
    Outcome.ABSTINENT, Outcome.ABSTINENT, Outcome.RELAPSE, Outcome.ABSTINENT,
    Outcome.UNREACHABLE, Outcome.ABSTINENT, Outcome.REARRESTED, Outcome.ABSTINENT,
]  # fmt: skip
FAMILY = [("Siti Aminah", "Ibu"), ("Rahmawati", "Istri"), ("Hasan Basri", "Ayah"),
          ("Nurhayati", "Kakak"), ("Agus Salim", "Paman")]  # fmt: skip
RELEASED_LAST_MONTH = 3
LEFT_OVERDUE = 2


def _first_of_last_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _plan(
    inmate: Inmate, *, by: Any, counselor: Any, agencies: Mapping[str, Agency], full: bool, n: int
) -> None:
    name, relation = FAMILY[n % len(FAMILY)]
    data: dict[str, Any] = {
        "bnnk_referral": True,
        "bapas_referral": full or n % 2 == 0,
        "receiving_agency": agencies.get("bnn") if full or n % 3 else None,
        "job_training_referral": full and n % 2 == 0,
        "capital_aid_referral": full and n % 2 == 1,
        "family_contact_name": name,
        "family_contact_relation": relation,
        "family_contact_phone": f"0812{5550000 + n * 137:07d}",
        "follow_up_address": inmate.address,
        "follow_up_phone": f"0813{4440000 + n * 251:07d}" if full or n % 2 else "",
        "counselor": counselor if full or n % 2 else None,
        "notes": "",
    }
    release_plan_save(inmate=inmate, by=by, data=data, version=0)


def seed_facility_aftercare(
    *, facility: Facility, users: Mapping[str, Any], today: datetime.date
) -> str | None:
    """Plans, releases and recorded follow-ups of one facility; None if it already has plans."""
    if ReleasePlan.objects.filter(facility=facility).exists():
        return None
    locale = LOCALES[facility.code]
    staff, counselor = users[locale.staff], users[locale.counselor]
    rng = random.Random(locale.seed + "-aftercare")
    agencies: dict[str, Agency] = {}
    for agency in Agency.objects.filter(facilities=facility):
        if agency.kind in (AgencyKind.BNNK, AgencyKind.BNK):
            agencies["bnn"] = agency
    soon = list(
        Inmate.objects.filter(
            facility=facility,
            status=CustodyStatus.IN_CUSTODY,
            release_date__gte=today,
            release_date__lte=today + datetime.timedelta(days=90),
        ).order_by("release_date", "id")
    )
    for n, inmate in enumerate(soon):
        _plan(inmate, by=staff, counselor=counselor, agencies=agencies, full=n % 3 == 0, n=n)
    # A few left early last month (PB/CMB) after a full plan and a hand-over to BNN.
    first = _first_of_last_month(today)
    leaving = list(
        Inmate.objects.filter(
            facility=facility,
            status=CustodyStatus.IN_CUSTODY,
            release_date__gt=today + datetime.timedelta(days=90),
            admission_date__lt=first - datetime.timedelta(days=120),
        )
        # Someone still in a programme would leave it last month with sessions after that.
        .exclude(enrolments__state__in=OPEN_STATES)
        .order_by("release_date", "id")[:RELEASED_LAST_MONTH]
    )
    for n, inmate in enumerate(leaving):
        _plan(inmate, by=staff, counselor=counselor, agencies=agencies, full=True, n=n + 7)
        on = first + datetime.timedelta(days=4 + 9 * n)
        kind = ReleaseKind.PAROLE if n % 2 == 0 else ReleaseKind.LEAVE_BEFORE_RELEASE
        inmate_release(
            inmate=inmate, by=staff, on=on, kind=kind,
            reason=f"SK {kind.label} dari Ditjenpas; pembimbingan oleh Bapas.",
        )  # fmt: skip
    # Record what fell due, oldest first; the last few stay overdue for the counselor.
    due = list(
        Aftercare.objects.filter(facility=facility, recorded_at__isnull=True, due_on__lte=today)
        .select_related("inmate")
        .order_by("due_on", "id")
    )
    Aftercare.objects.filter(facility=facility, counselor__isnull=True).update(counselor=counselor)
    recorded, aided_last_month = 0, False
    for n, follow_up in enumerate(due[:-LEFT_OVERDUE] if len(due) > LEFT_OVERDUE else []):
        outcome = OUTCOMES[n % len(OUTCOMES)]
        contacted_on = min(follow_up.due_on + datetime.timedelta(days=rng.randint(0, 6)), today)
        employed = outcome == Outcome.ABSTINENT and rng.random() < 0.6
        # Capital aid now and then, and at least once last month for its report.
        last_month = first <= contacted_on < today.replace(day=1)
        aid = (
            AidKind.CAPITAL
            if outcome == Outcome.ABSTINENT
            and (n % 3 == 0 or (last_month and not aided_last_month))
            else ""
        )
        employed = employed or bool(aid)
        aided_last_month = aided_last_month or (last_month and bool(aid))
        aftercare_record(
            aftercare=follow_up,
            by=counselor,
            version=follow_up.version,
            data={
                "contacted_on": contacted_on,
                "method": rng.choice(list(ContactMethod.values)),
                "outcome": outcome,
                "employment": (Employment.SELF_EMPLOYED if aid else Employment.EMPLOYED)
                if employed
                else Employment.UNEMPLOYED,
                "aid_kind": aid,
                "aid_amount": 3_000_000 if aid else None,
                "notes": "Kondisi stabil, rutin ikut kelompok dukungan."
                if outcome == Outcome.ABSTINENT
                else "",
            },
        )
        recorded += 1
    return (
        f"{len(soon)} release plans, {len(leaving)} releases last month, "
        f"{recorded} follow-ups recorded"
    )


def seed_aftercare(org: Any) -> dict[str, str | None]:
    """Seed release planning and follow-ups of every demo Rutan."""
    today = timezone.localdate()
    return {
        site.facility.code: seed_facility_aftercare(
            facility=site.facility, users=org.users, today=today
        )
        for site in org.sites
        if site.facility.code in LOCALES
    }
