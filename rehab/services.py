"""Account workflows: roles in facilities (memberships), activation and passwords, each with
its history entry. The admin site calls these; it never saves a membership or a user itself."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from rehab import audit
from rehab.hooks import Hooks
from rehab.models import AuditEntry, Facility, Membership, Profile, Role

# Roles that read health results and counselling notes.
CLINICAL_ROLES = frozenset({Role.HEALTH.value, Role.COUNSELOR.value})
MEMBERSHIP_FIELDS = ["user", "facility", "role", "agency", "active"]
# Editable account fields whose changes the history keeps; the password is kept as "changed".
USER_FIELDS = ["username", "first_name", "last_name", "email", "is_staff", "is_superuser"]
PROFILE_FIELDS = ["rank", "nip"]

SELF_GRANT = "rehab.membership.self_granted"
SELF_GRANT_ACKNOWLEDGED = "rehab.membership.self_grant_acknowledged"
# A self-grant shows on the warden's today page until acknowledged, or for this long.
SELF_GRANT_NOTICE_DAYS = 30


def _is_self_clinical_grant(by: Any, membership: Membership, stored: Membership | None) -> bool:
    """Tell whether this save gives the acting user a clinical role they did not hold there."""
    if getattr(by, "pk", None) != membership.user_id:
        return False
    if not (membership.active and membership.role in CLINICAL_ROLES):
        return False
    held = (
        stored is not None
        and stored.active
        and stored.role in CLINICAL_ROLES
        and stored.facility_id == membership.facility_id
    )
    return not held


def _membership_summary(membership: Membership) -> str:
    user, role = membership.user.get_username(), membership.get_role_display()
    return f"{user} · {role} · {membership.facility}"


@transaction.atomic
def membership_grant(*, membership: Membership, by: Any) -> Membership:
    """Save a new membership (a role in a facility) and write who granted it."""
    membership.save()
    self_grant = _is_self_clinical_grant(by, membership, None)
    audit.record(
        facility=membership.facility_id,
        actor=by,
        action=SELF_GRANT if self_grant else "rehab.membership.granted",
        target=membership,
        summary=_membership_summary(membership),
        changes=audit.diff({}, audit.snapshot(membership, MEMBERSHIP_FIELDS)),
    )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, by: Any, data: dict[str, Any]) -> Membership:
    """Change a membership's role, facility, agency or state; a change to inactive is a
    revocation and back to active a grant, each written as such."""
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    stored = copy.copy(current)
    before = audit.snapshot(current, MEMBERSHIP_FIELDS)
    for name in MEMBERSHIP_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    changes = audit.diff(before, audit.snapshot(current, MEMBERSHIP_FIELDS))
    if not changes:
        return current
    current.save()
    if _is_self_clinical_grant(by, current, stored):
        action = SELF_GRANT
    elif stored.active and not current.active:
        action = "rehab.membership.revoked"
    elif current.active and not stored.active:
        action = "rehab.membership.granted"
    else:
        action = "rehab.membership.changed"
    audit.record(
        facility=current.facility_id,
        actor=by,
        action=action,
        target=current,
        summary=_membership_summary(current),
        changes=changes,
    )
    return current


@transaction.atomic
def membership_revoke(*, membership: Membership, by: Any) -> Membership:
    """Take a role away: the membership stays, inactive, so its history still reads."""
    return membership_update(membership=membership, by=by, data={"active": False})


@transaction.atomic
def membership_delete(*, membership: Membership, by: Any) -> None:
    """Delete a membership (a revocation that also removes the row), writing what it was."""
    current = (
        Membership.objects.select_for_update()
        .select_related("user", "facility")
        .get(pk=membership.pk)
    )
    before = audit.snapshot(current, MEMBERSHIP_FIELDS)
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="rehab.membership.deleted",
        target=current,
        summary=_membership_summary(current),
        changes=audit.diff(before, dict.fromkeys(MEMBERSHIP_FIELDS)),
    )
    current.delete()


def _password_state(user: Any) -> dict[str, Any]:
    return {"password": audit.REDACTED if user.has_usable_password() else None}


@transaction.atomic
def user_create(*, user: Any, by: Any) -> Any:
    """Save a new account (its password already set by the form) and write who made it."""
    user.save()
    audit.record(
        facility=None,
        actor=by,
        action="rehab.user.created",
        target=user,
        summary=user.get_username(),
        changes=audit.diff(
            {}, {**audit.snapshot(user, [*USER_FIELDS, "is_active"]), **_password_state(user)}
        ),
    )
    return user


@transaction.atomic
def user_update(*, user: Any, by: Any, data: dict[str, Any]) -> Any:
    """Change an account's name, e-mail or admin rights; activation goes through
    user_set_active so it is written as such."""
    current = get_user_model().objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(current, USER_FIELDS)
    for name in USER_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    changes = audit.diff(before, audit.snapshot(current, USER_FIELDS))
    if changes:
        current.save(update_fields=list(changes))
        audit.record(
            facility=None,
            actor=by,
            action="rehab.user.changed",
            target=current,
            summary=current.get_username(),
            changes=changes,
        )
    if "is_active" in data:
        current = user_set_active(user=current, by=by, active=data["is_active"])
    return current


@transaction.atomic
def user_set_active(*, user: Any, by: Any, active: bool) -> Any:
    """Let an account sign in again, or stop it from signing in."""
    current = get_user_model().objects.select_for_update().get(pk=user.pk)
    if current.is_active == active:
        return current
    current.is_active = active
    current.save(update_fields=["is_active"])
    audit.record(
        facility=None,
        actor=by,
        action="rehab.user.activated" if active else "rehab.user.deactivated",
        target=current,
        summary=current.get_username(),
        changes={"is_active": [not active, active]},
    )
    return current


@transaction.atomic
def user_password_set(*, user: Any, by: Any, password: str | None) -> Any:
    """Set an account's password (None: no password sign-in). The history says it changed and
    who changed it: the owner (a change) or someone else (a reset)."""
    current = get_user_model().objects.select_for_update().get(pk=user.pk)
    if password is None:
        current.set_unusable_password()
        action = "rehab.user.password_disabled"
    elif getattr(by, "pk", None) == current.pk:
        current.set_password(password)
        action = "rehab.user.password_changed"
    else:
        current.set_password(password)
        action = "rehab.user.password_reset"
    current.save(update_fields=["password"])
    audit.record(
        facility=None,
        actor=by,
        action=action,
        target=current,
        summary=current.get_username(),
        changes={"password": [audit.REDACTED, audit.REDACTED if password is not None else None]},
    )
    # The caller's object is the one the session hash is read from.
    user.password = current.password
    return user


def self_grants_to_review(
    facility_ids: list[int], *, now: datetime.datetime | None = None
) -> QuerySet[AuditEntry]:
    """Clinical roles administrators gave themselves in these facilities in the last 30 days
    that no warden has acknowledged yet, newest first."""
    since = (now or timezone.now()) - datetime.timedelta(days=SELF_GRANT_NOTICE_DAYS)
    acknowledged = AuditEntry.objects.filter(
        action=SELF_GRANT_ACKNOWLEDGED,
        target_type=AuditEntry._meta.label_lower,
        target_id=OuterRef("pk"),
    )
    return AuditEntry.objects.filter(
        facility_id__in=facility_ids, action=SELF_GRANT, created_at__gte=since
    ).exclude(Exists(acknowledged))


@transaction.atomic
def self_grant_acknowledge(*, entry: AuditEntry, by: Any) -> AuditEntry:
    """Record that the warden has seen an administrator's clinical self-grant."""
    return audit.record(
        facility=entry.facility_id,
        actor=by,
        action=SELF_GRANT_ACKNOWLEDGED,
        target=entry,
        summary=entry.summary,
    )


@transaction.atomic
def profile_update(*, user: Any, by: Any, data: dict[str, Any]) -> Profile:
    """Set the rank/grade and NIP an official signs with (the profile is made on first use)."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    before = audit.snapshot(profile, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    changes = audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS))
    if changes:
        profile.full_clean()
        profile.save(update_fields=list(changes))
        audit.record(
            facility=None,
            actor=by,
            action="rehab.profile.changed",
            target=profile,
            summary=user.get_username(),
            changes=changes,
        )
    return profile


# --- New facilities ----------------------------------------------------------------------------

# What else a new facility needs, registered by the apps above this one (programs loads the
# national holidays and the Ramadan hours on its calendar). Run in the creating transaction.
FacilitySetup = Callable[[Facility], None]
facility_setups: Hooks[FacilitySetup] = Hooks()
# Run `step(facility)` whenever a facility is created through facility_create.
register_facility_setup = facility_setups.register


@transaction.atomic
def facility_create(*, facility: Facility, by: Any) -> Facility:
    """Save a new facility and run every registered setup step on it, with its history entry."""
    facility.save()
    for step in facility_setups:
        step(facility)
    audit.record(
        facility=facility.pk,
        actor=by,
        action="rehab.facility.created",
        target=facility,
        summary=str(facility),
    )
    return facility
