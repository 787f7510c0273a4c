"""What keeps pages fast at national scale: indexes that exist, an admin that searches the
indexed column and does not count every row twice, attendance viewable but not editable."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inmates import services as inmate_services
from inmates.models import CustodyEvent, CustodyEventKind
from programs.models import Attendance
from rehab.models import AccessLog, AuditEntry
from tests.factories import FacilityFactory, InmateFactory, UserFactory


@pytest.fixture
def superuser(db: Any) -> Any:
    return UserFactory(username="admin.uji", is_staff=True, is_superuser=True)


def indexes_of(model: Any) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: c["columns"] for name, c in found.items() if c["index"]}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_trgm GIN indexes exist only on PostgreSQL (SQLite has none); CI's PostgreSQL "
    "leg runs this",
)
def test_the_search_column_has_a_trigram_index_on_postgresql(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'inmates_inmate'"
            " AND indexname = 'inmates_inmate_search_trgm'"
        )
        row = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        extension = cursor.fetchone()
    assert extension is not None
    assert row is not None, "no trigram index on inmates_inmate.search_text"
    assert "USING gin (search_text gin_trgm_ops)" in row[0]


def test_the_logs_have_indexes_for_their_newest_first_order(db: Any) -> None:
    assert indexes_of(AuditEntry)["audit_created_idx"] == ["created_at", "id"]
    assert indexes_of(AuditEntry)["audit_facility_created_idx"] == [
        "facility_id",
        "created_at",
        "id",
    ]
    assert indexes_of(AccessLog)["accesslog_created_idx"] == ["created_at", "id"]


def test_custody_events_carry_their_facility_with_an_index(db: Any) -> None:
    facility = FacilityFactory()
    staff = UserFactory()
    inmate = InmateFactory(facility=facility)
    inmate_services.inmate_release(
        inmate=inmate,
        by=staff,
        on=datetime.date(2026, 11, 19),
        kind="bebas_murni",
        reason="Masa pidana berakhir",
    )
    released = CustodyEvent.objects.get(inmate=inmate, kind=CustodyEventKind.RELEASED)
    assert released.facility_id == facility.pk
    # An event saved without naming the facility takes its WBP's.
    event = CustodyEvent.objects.create(
        inmate=inmate,
        kind=CustodyEventKind.ADMITTED,
        occurred_on=inmate.admission_date,
        reason="Masuk",
    )
    assert event.facility_id == facility.pk
    assert indexes_of(CustodyEvent)["custody_facility_kind_on"] == [
        "facility_id",
        "kind",
        "occurred_on",
    ]


def test_the_admin_finds_a_wbp_by_parts_of_the_name_or_number_in_the_search_column(
    client: Client, superuser: Any
) -> None:
    facility = FacilityFactory()
    wanted = InmateFactory(
        facility=facility, full_name="Budi Santoso", registration_number="BI.0777/2026"
    )
    InmateFactory(facility=facility, full_name="Budi Hartono", registration_number="BI.0778/2026")
    client.force_login(superuser)
    url = reverse("admin:inmates_inmate_changelist")
    for term in ("santoso budi", "BI.0777", "SANTOSO"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": term})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [wanted], term
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "search_text" in sql and "UPPER(" not in sql


def test_admin_changelists_do_not_count_every_row_again_when_filtered() -> None:
    from inmates.models import Inmate

    for model in (Inmate, AuditEntry, AccessLog, Attendance):
        model_admin = site._registry[model]
        assert model_admin.show_full_result_count is False, model.__name__
        assert model_admin.list_select_related, model.__name__


def test_attendance_is_in_the_admin_to_look_at_not_to_change(
    client: Client, superuser: Any
) -> None:
    client.force_login(superuser)
    assert client.get(reverse("admin:programs_attendance_changelist")).status_code == 200
    assert client.get(reverse("admin:programs_attendance_add")).status_code == 403
    model_admin = site._registry[Attendance]
    assert not model_admin.has_change_permission(None)  # type: ignore[arg-type]
    assert not model_admin.has_delete_permission(None)  # type: ignore[arg-type]
