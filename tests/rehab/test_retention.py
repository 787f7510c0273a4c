"""Retention (UU PDP): WBP released more than REHAB_RETENTION_YEARS (5) ago are anonymised;
a dry run only counts; report figures do not move.

The clock is frozen at 2026-11-20 (WITA facility, WIB clock): the cutoff is 2021-11-20, so a
release on 2021-11-19 (5 years and a day ago) is past it and one on 2021-11-21 is not.
"""

from __future__ import annotations

import datetime
import importlib
import io
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from inmates.models import CustodyEvent, Inmate
from programs.models import Aftercare, Enrolment, ProgressNote, ReleasePlan
from rehab import audit, privacy
from rehab.models import AccessLog, AuditEntry
from reports import indicators
from reports.models import Report
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    HealthScreeningFactory,
    InmateFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.clock("2026-11-20T10:00+07:00")
DAY = datetime.date


def _released(facility: Any, staff: Any, name: str, nik: str, released_on: DAY,
              cohort: Any, **extra: Any) -> Inmate:  # fmt: skip
    inmate = InmateFactory(
        facility=facility, full_name=name, nik=nik, aliases=f"{name.split()[0]} Kecil",
        birth_place="Long Ikis", birth_date=DAY(1985, 6, 14), address="Jl. Mawar 3",
        occupation="Nelayan", verdict_number="12/Pid.Sus/2020/PN Tgt",
        admission_date=DAY(2020, 1, 10), expiry_date=DAY(2022, 1, 10), release_date=released_on,
        status="released", status_changed_on=released_on, **extra,
    )  # fmt: skip
    CustodyEvent.objects.create(
        inmate=inmate, kind="released", occurred_on=released_on, release_kind="bebas_murni",
        reason=f"Bebas murni {name}", recorded_by=staff,
    )  # fmt: skip
    ScreeningFactory(inmate=inmate, interviewed_on=DAY(2020, 2, 1))
    HealthScreeningFactory(inmate=inmate, screened_on=DAY(2020, 2, 1), notes=f"Keluhan {name}")
    assessment = AssessmentFactory(
        inmate=inmate, assessed_on=DAY(2020, 2, 3), tier_reason=f"Riwayat pakai {name}"
    )
    enrolment = Enrolment.objects.create(
        facility=facility, inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=assessment, state="completed", started_on=DAY(2020, 3, 2),
        ended_on=DAY(2020, 3, 16),
    )  # fmt: skip
    ProgressNote.objects.create(
        facility=facility, enrolment=enrolment, author=staff, summary=f"Konseling {name}"
    )
    ReleasePlan.objects.create(
        facility=facility, inmate=inmate, updated_by=staff, family_contact_name="Siti",
        family_contact_phone="0812000111", follow_up_phone="0812000222",
        follow_up_address="Jl. Melati 9",
    )  # fmt: skip
    Aftercare.objects.create(
        facility=facility, inmate=inmate, month=3, due_on=released_on + datetime.timedelta(90),
        outcome="abstinent", notes=f"Ditemui di rumah {name}",
    )  # fmt: skip
    audit.record(
        facility=facility, actor=staff, action="inmates.inmate.updated.form", target=inmate,
        summary=f"Data {name} diubah", changes={"full_name": ["", name], "nik": ["", nik]},
    )  # fmt: skip
    audit.log_access(
        user=staff, facility=facility, action="pdf.download", target=inmate,
        detail=f"surat-{inmate.registration_number}.pdf",
    )  # fmt: skip
    return inmate


@pytest.fixture
def wbp(facility_a: Any, members: dict[str, Any]) -> dict[str, Inmate]:
    staff = members["staff"]
    cohort = CohortFactory(
        facility=facility_a, start_date=DAY(2020, 3, 2), end_date=DAY(2020, 3, 16)
    )
    old = _released(facility_a, staff, "Budi Santoso", "6401011203850001", DAY(2021, 11, 19),
                    cohort)  # fmt: skip
    recent = _released(facility_a, staff, "Agus Salim", "6401011203850002", DAY(2021, 11, 21),
                       cohort)  # fmt: skip
    # Released long ago, but admitted again since: the person is here, his records stay.
    back = _released(facility_a, staff, "Dedi Kurnia", "6401011203850003", DAY(2020, 6, 1),
                     cohort)  # fmt: skip
    InmateFactory(
        facility=facility_a, full_name="Dedi Kurnia", nik="6401011203850004",
        previous_episode=back, admission_date=DAY(2026, 2, 1),
    )  # fmt: skip
    return {"old": old, "recent": recent, "back": back}


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_cutoff_is_five_years_before_today(db: Any) -> None:
    assert privacy.retention_cutoff() == DAY(2021, 11, 20)
    assert privacy.retention_cutoff(DAY(2028, 2, 29)) == DAY(2023, 2, 28)


def test_a_dry_run_counts_and_changes_nothing(wbp: dict[str, Inmate]) -> None:
    before = {key: privacy.collect(inmate) for key, inmate in wbp.items()}
    entries = AuditEntry.objects.count()

    printed = _run("--dry-run")

    assert "Released before 2021-11-20 (REHAB_RETENTION_YEARS=5): 1 WBP would be anonymised" in (
        printed
    )
    assert "  progress_notes: 1\n" in printed
    assert "  release_plans: 1\n" in printed
    assert "Dry run: nothing was changed." in printed
    assert {key: privacy.collect(inmate) for key, inmate in wbp.items()} == before
    assert AuditEntry.objects.count() == entries


def test_a_wbp_released_more_than_five_years_ago_is_anonymised(
    wbp: dict[str, Inmate], facility_a: Any
) -> None:
    figures_before = (
        indicators.monthly_figures(facility_a.pk, 2020, 3),
        indicators.outcome_figures(facility_a.pk, DAY(2020, 1, 1), DAY(2021, 1, 1)),
        indicators.outcome_figures(facility_a.pk, DAY(2021, 1, 1), DAY(2022, 1, 1)),
    )
    report = Report.objects.create(
        facility=facility_a, kind="monthly", period_start=DAY(2020, 3, 1),
        period_end=DAY(2020, 4, 1), status="signed", figures=figures_before[0], checksum="abc",
    )  # fmt: skip

    printed = _run()

    assert "Released before 2021-11-20 (REHAB_RETENTION_YEARS=5): 1 WBP anonymised" in printed
    old = Inmate.objects.get(pk=wbp["old"].pk)
    assert old.full_name == f"(dianonimkan) #{old.pk}"
    assert old.registration_number == f"ANON-{old.pk}"
    assert (old.nik, old.aliases, old.address, old.birth_place, old.occupation) == ("",) * 5
    assert old.verdict_number == ""
    assert old.birth_date == DAY(1985, 1, 1)
    assert old.anonymised_at is not None
    assert "budi" not in old.search_text
    # Free text and contacts gone, everything that is counted kept.
    assert old.health_screenings.get().notes == ""
    assert old.health_screenings.get().hiv == "reactive"
    assert old.assessments.get().tier_reason == ""
    assert old.assessments.get().final_tier == "sedang"
    enrolment = old.enrolments.get()
    assert enrolment.state == "completed"
    assert enrolment.notes.get().summary == "(dianonimkan)"
    plan = old.release_plan
    assert (plan.family_contact_name, plan.family_contact_phone, plan.follow_up_phone) == ("",) * 3
    assert old.aftercare.get().notes == ""
    assert old.aftercare.get().outcome == "abstinent"
    assert old.custody_events.get().reason == "(dianonimkan)"
    # The history keeps which fields changed, not their values; the access log no file name.
    [edit] = AuditEntry.objects.filter(target_id=old.pk, action="inmates.inmate.updated.form")
    assert edit.changes == {"full_name": ["(rahasia)", "(rahasia)"], "nik": ["(rahasia)"] * 2}
    assert edit.summary == ""
    assert AccessLog.objects.get(target_id=old.pk, target_type="inmates.inmate").detail == ""
    [done] = AuditEntry.objects.filter(action="inmates.inmate.anonymised")
    assert done.target_id == old.pk
    left = str(privacy.collect(old))
    for gone in ("6401011203850001", "Budi Santoso", "Jl. Mawar", "0812000222", "Long Ikis"):
        assert gone not in left

    # Released 5 years less a day ago, and the one admitted again: untouched.
    for key in ("recent", "back"):
        kept = Inmate.objects.get(pk=wbp[key].pk)
        assert kept.full_name == wbp[key].full_name
        assert kept.nik == wbp[key].nik
        assert kept.anonymised_at is None
        assert kept.enrolments.get().notes.get().summary == f"Konseling {kept.full_name}"
        assert kept.release_plan.follow_up_phone == "0812000222"

    # The figures of the reports: the frozen one unchanged, and computed again the same.
    report.refresh_from_db()
    assert (report.figures, report.checksum) == (figures_before[0], "abc")
    assert (
        indicators.monthly_figures(facility_a.pk, 2020, 3),
        indicators.outcome_figures(facility_a.pk, DAY(2020, 1, 1), DAY(2021, 1, 1)),
        indicators.outcome_figures(facility_a.pk, DAY(2021, 1, 1), DAY(2022, 1, 1)),
    ) == figures_before

    # A second run finds nothing left to do.
    assert "0 WBP anonymised" in _run()


def test_the_retention_years_come_from_the_setting(wbp: dict[str, Inmate], settings: Any) -> None:
    settings.REHAB_RETENTION_YEARS = 7
    assert "Released before 2019-11-20 (REHAB_RETENTION_YEARS=7): 0 WBP" in _run("--dry-run")


def test_retention_runs_monthly(db: Any) -> None:
    # A test with a live worker or a transactional database flushes the rows the migration
    # wrote: write them again (the migration is idempotent), then read what it schedules.
    importlib.import_module("rehab.migrations.0005_retention_schedule").forwards(django_apps, None)
    task = PeriodicTask.objects.get(task="rehab.tasks.apply_retention")
    assert task.enabled
    assert (task.crontab.day_of_month, task.crontab.hour) == ("1", "3")
