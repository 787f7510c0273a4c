"""The rank/grade and NIP an official signs with: kept on their profile, changed through the
service with a history entry, a NIP of anything but 18 digits refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rehab import services
from rehab.models import AuditEntry, Profile, Signatory

pytestmark = pytest.mark.django_db


def test_setting_rank_and_nip_is_written_in_the_history(members: dict[str, Any]) -> None:
    warden, admin = members["warden"], members["admin"]
    services.profile_update(
        user=warden, by=admin, data={"rank": "Pembina (IV/a)", "nip": "197604122000031002"}
    )
    entry = AuditEntry.objects.get(action="rehab.profile.changed")
    assert entry.actor == admin and entry.target_id == warden.profile.pk
    assert entry.changes == {"rank": [None, "Pembina (IV/a)"], "nip": [None, "197604122000031002"]}
    assert Signatory.of(warden).nip == "197604122000031002"
    assert Signatory.of(warden).rank == "Pembina (IV/a)"
    # the same values again: nothing changes, nothing written
    services.profile_update(user=warden, by=admin, data={"nip": "197604122000031002"})
    assert AuditEntry.objects.filter(action="rehab.profile.changed").count() == 1


@pytest.mark.parametrize("nip", ["19760412 200003 1 002", "1976041220000310", "19760412200003100X"])
def test_a_nip_that_is_not_18_digits_is_refused(members: dict[str, Any], nip: str) -> None:
    with pytest.raises(ValidationError, match="18 angka"):
        services.profile_update(user=members["warden"], by=members["admin"], data={"nip": nip})
    assert not Profile.objects.filter(nip=nip).exists()


def test_the_facility_warden_signs_with_the_profile_or_blank_lines(
    facility_a: Any, members: dict[str, Any]
) -> None:
    assert facility_a.warden().nip == ""
    Profile.objects.create(user=members["warden"], nip="197604122000031002")
    assert facility_a.warden().nip == "197604122000031002"
    members["warden"].memberships.update(active=False)
    assert facility_a.warden() == Signatory()


def test_the_demo_wardens_sign_with_rank_and_nip_in_their_town(db: Any) -> None:
    from rehab import demo

    demo.seed_organisation()
    org = demo.seed_organisation()  # twice: nothing doubles
    grogot = org.site("tanah-grogot").facility
    assert (grogot.town, grogot.regency, grogot.paper_size) == (
        "Tanah Grogot",
        "Kabupaten Paser",
        "F4",
    )
    assert grogot.warden() == Signatory(
        name="Andi Syamsuddin", rank="Pembina (IV/a)", nip="197604122000031002"
    )
    assert org.site("banjarnegara").facility.warden().nip == "197809232001121001"
    assert Profile.objects.count() == 2
