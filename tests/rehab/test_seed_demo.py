"""The demo data command: accounts that work, realistic WBP, and no duplicates on a second run."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Model
from django.test import RequestFactory
from django.utils import timezone

from inmates.demo import TANAH_GROGOT, _build_records
from inmates.models import (
    CaseArticle,
    CustodyEvent,
    CustodyEventKind,
    CustodyStatus,
    Inmate,
    RegisterClass,
    validate_nik,
)
from programs.demo_aftercare import RELEASED_LAST_MONTH
from rehab.demo import ACCOUNTS, DEMO_PASSWORD
from rehab.models import Agency, AuditEntry, Facility, Membership

DEMO_RUTAN = ["tanah-grogot", "banjarnegara"]


def counts() -> dict[str, int]:
    """Count every kind of row the command writes."""
    models: list[type[Model]] = [
        Facility, Agency, get_user_model(), Membership, Inmate, CaseArticle, CustodyEvent,
        AuditEntry,
    ]  # fmt: skip
    return {m.__name__: m._default_manager.count() for m in models}


def test_every_demo_account_can_sign_in_with_the_demo_password(
    seeded: str, db: Any, rf: RequestFactory
) -> None:
    for spec in ACCOUNTS:
        user = authenticate(rf.post("/"), username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        assert user.first_name and user.last_name
    assert get_user_model().objects.get(username="admin").is_superuser


def test_the_output_lists_every_account_and_the_password(seeded: str, db: Any) -> None:
    for spec in ACCOUNTS:
        assert spec.username in seeded
    assert DEMO_PASSWORD in seeded


def test_running_the_command_twice_duplicates_nothing(seeded: str, db: Any) -> None:
    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_a_second_run_never_resets_a_password_someone_changed(seeded: str, db: Any) -> None:
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("sandi-admin-yang-baru-2026")
    admin.save(update_fields=["password"])
    call_command("seed_demo", stdout=StringIO())
    admin.refresh_from_db()
    assert admin.check_password("sandi-admin-yang-baru-2026")


def test_each_demo_rutan_holds_140_to_160_wbp_with_valid_or_blank_niks(
    seeded: str, db: Any
) -> None:
    for code in DEMO_RUTAN:
        inmates = Inmate.objects.filter(facility__code=code)
        assert 140 <= inmates.count() <= 160
        for nik, birth_date, sex in inmates.exclude(nik="").values_list("nik", "birth_date", "sex"):
            validate_nik(nik)
            assert birth_date is not None
            day = birth_date.day + (40 if sex == "P" else 0)
            assert nik[6:12] == f"{day:02d}{birth_date:%m%y}", "NIK carries the birth date"


def test_the_demo_has_releases_coming_and_real_release_and_transfer_history(
    seeded: str, db: Any
) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=90)
    for code in DEMO_RUTAN:
        inmates = Inmate.objects.filter(facility__code=code)
        assert inmates.in_custody().filter(release_date__lte=soon).count() >= 10
        for status, kind in [
            (CustodyStatus.RELEASED, CustodyEventKind.RELEASED),
            (CustodyStatus.TRANSFERRED, CustodyEventKind.TRANSFERRED),
        ]:
            assert (
                inmates.filter(status=status).count()
                == CustodyEvent.objects.filter(inmate__facility__code=code, kind=kind).count()
            )
        # Ten released by the inmates demo, three more last month after a full release plan.
        assert inmates.filter(status=CustodyStatus.RELEASED).count() == 10 + RELEASED_LAST_MONTH
        assert inmates.filter(status=CustodyStatus.TRANSFERRED).count() == 5


def test_sentences_match_the_register_class(seeded: str, db: Any) -> None:
    for inmate in Inmate.objects.filter(facility__code__in=DEMO_RUTAN):
        if inmate.register_class == RegisterClass.B_I:
            assert inmate.sentence_months and inmate.sentence_months > 12
        elif inmate.register_class == RegisterClass.B_IIA:
            assert inmate.sentence_months and 3 < inmate.sentence_months <= 12
        else:
            assert not inmate.verdict_number and inmate.sentence_months is None
        if inmate.release_date:
            assert inmate.expiry_date and inmate.release_date <= inmate.expiry_date


def test_supervisor_kaltim_is_a_member_of_tanah_grogot_only(seeded: str, db: Any) -> None:
    facilities = Membership.objects.filter(user__username="supervisor.kaltim").values_list(
        "facility__code", "role"
    )
    assert list(facilities) == [("tanah-grogot", "supervisor")]


def test_if_empty_does_nothing_on_a_database_that_has_a_facility(seeded: str, db: Any) -> None:
    before = counts()
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "already has facilities" in out.getvalue()


def test_the_same_day_draws_the_same_wbp() -> None:
    today = datetime.date(2026, 3, 2)
    assert _build_records(TANAH_GROGOT, today, 150) == _build_records(TANAH_GROGOT, today, 150)
