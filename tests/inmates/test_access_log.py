"""The access log in the app: the case file's "who opened this file" for the warden and the
supervisors, and the facility-wide page with filters, print and export. A row says that notes
or results were read, in words, with the facility's time and zone; never what they hold."""

from __future__ import annotations

import datetime
import importlib
import io
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from programs.tiers import services as programme
from rehab import audit
from rehab.models import AccessLog, display_name
from tests.factories import (
    CohortFactory,
    InmateFactory,
    MembershipFactory,
    UrineTestFactory,
    UserFactory,
    signed_assessment,
)

pytestmark = pytest.mark.django_db

# The case file as a warden sees it, with the access-log section (staff see it for 20).
ALONE_WARDEN = 24  # + the transfers to and from this record, + the coming blocks on his day
NOTE = "Mengaku masih memakai sabu di blok"


def _placed(inmate: Any, by: Any) -> Any:
    cohort = CohortFactory(facility=inmate.facility)
    enrolment = programme.enrolment_propose(
        inmate=inmate, track=cohort.track, cohort=cohort, assessment=signed_assessment(inmate),
        by=by,
    )  # fmt: skip
    return programme.enrolment_move(enrolment=enrolment, to="placed", by=by, reason="Disetujui")


def _table(response: Any) -> str:
    """The rows of the log page, without its filter form (whose options name every action)."""
    page = response.content.decode()
    return page[page.index('class="table table-sm align-middle access-log"') :]


def _rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_warden_sees_who_read_the_notes_and_results_of_a_file_in_words_never_the_content(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    counselor = members["counselor"]
    inmate = InmateFactory(facility=facility_a)
    enrolment = _placed(inmate, counselor)
    programme.note_save(enrolment=enrolment, by=counselor, data={"summary": NOTE}, sign=True)
    test = UrineTestFactory(inmate=inmate)
    client.force_login(counselor)
    assert client.get(reverse("programs:enrolment_detail", args=[enrolment.pk])).status_code == 200
    assert client.get(reverse("assessments:urine_detail", args=[test.pk])).status_code == 200

    client.force_login(members["warden"])
    page = client.get(inmate.get_absolute_url()).content.decode()
    assert "Siapa membuka berkas ini" in page
    section = page[page.index("Siapa membuka berkas ini") :]
    assert display_name(counselor) in section and "Konselor Adiksi" in section
    # The clock stands at 10.00 WIB: Tanah Grogot says 11.00 WITA.
    assert "20 November 2026 11.00 WITA" in section
    assert "Membuka catatan konseling" in section and "Membuka hasil tes urine" in section
    assert "notes.read" not in section and "urine_test.read" not in section
    assert NOTE not in page
    # Staff open the same file and see no log.
    client.force_login(members["staff"])
    assert "Siapa membuka berkas ini" not in client.get(inmate.get_absolute_url()).content.decode()


def test_a_supervisor_sees_the_log_and_roles_without_it_are_refused(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)
    audit.log_access(user=members["health"], facility=facility_a, action="urine_test.read",
                     target=UrineTestFactory(inmate=inmate))  # fmt: skip
    client.force_login(members["supervisor"])
    assert "Tenaga Kesehatan" in client.get(reverse("accesslog:list")).content.decode()
    assert "Siapa membuka berkas ini" in client.get(inmate.get_absolute_url()).content.decode()
    for role in ("staff", "counselor", "health", "admin"):
        client.force_login(members[role])
        assert client.get(reverse("accesslog:list")).status_code == 403


def test_the_case_file_shows_the_last_twenty_with_a_link_to_the_rest(
    client: Client, members: dict[str, Any], facility_a: Any, clock: Any
) -> None:
    inmate = InmateFactory(facility=facility_a, registration_number="BI.0042/2026")
    test = UrineTestFactory(inmate=inmate)
    for minute in range(22):
        clock.move_to(datetime.datetime(2026, 11, 19, 8, minute, tzinfo=datetime.UTC))
        audit.log_access(user=members["counselor"], facility=facility_a,
                         action="urine_test.read", target=test)  # fmt: skip
    client.force_login(members["warden"])
    page = client.get(inmate.get_absolute_url()).content.decode()
    section = page[page.index("Siapa membuka berkas ini") :]
    assert section.count("Membuka hasil tes urine") == 20
    assert "19 November 2026 16.21 WITA" in section  # the newest first
    assert "19 November 2026 16.01 WITA" not in section  # the two oldest one click away
    assert "20 terakhir; lihat semua" in section
    assert f"{reverse('accesslog:list')}?wbp=BI.0042/2026" in section
    full = _table(client.get(reverse("accesslog:list"), {"wbp": "bi.0042/2026"}))
    assert full.count("Membuka hasil tes urine") == 22


class TestTheFacilityWidePage:
    @pytest.fixture
    def log(self, members: dict[str, Any], facility_a: Any, facility_b: Any, clock: Any) -> Any:
        """Reads over three days in facility A, and one in facility B."""
        agus = InmateFactory(
            facility=facility_a, full_name="Agus Salim", registration_number="BI.0001/2026"
        )
        budi = InmateFactory(
            facility=facility_a, full_name="Budi Santoso", registration_number="BI.0002/2026"
        )
        other = InmateFactory(facility=facility_b, full_name="Citra Lestari")
        reader_b = MembershipFactory(facility=facility_b, role="health").user
        for day, user, action, inmate in [
            (17, members["counselor"], "urine_test.read", agus),
            (18, members["health"], "health_screening.read", budi),
            (19, members["counselor"], "notes.read", budi),
            (19, reader_b, "urine_test.read", other),
        ]:
            clock.move_to(datetime.datetime(2026, 11, day, 2, 0, tzinfo=datetime.UTC))
            audit.log_access(user=user, facility=inmate.facility, action=action,
                             target=UrineTestFactory(inmate=inmate))  # fmt: skip
        clock.move_to(datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC))
        return {"agus": agus, "budi": budi}

    def test_filters_by_user_days_action_and_wbp_within_the_wardens_facility(
        self, client: Client, members: dict[str, Any], log: Any
    ) -> None:
        client.force_login(members["warden"])
        url = reverse("accesslog:list")
        page = _table(client.get(url))
        assert "Agus Salim" in page and "Budi Santoso" in page
        assert "Citra Lestari" not in page  # another facility's reads
        assert "Membuka hasil skrining kesehatan" in page
        page = _table(client.get(url, {"user": members["health"].username}))
        assert "Budi Santoso" in page and "Agus Salim" not in page
        page = _table(client.get(url, {"start": "18-11-2026", "end": "18-11-2026"}))
        assert "Membuka hasil skrining kesehatan" in page
        assert "Membuka hasil tes urine" not in page and "Membuka catatan" not in page
        page = _table(client.get(url, {"action": "notes.read"}))
        assert "Membuka catatan konseling" in page and "Agus Salim" not in page
        response = client.get(url, {"wbp": "BI.0001/2026"})
        assert "Agus Salim" in _table(response) and "Budi Santoso" not in _table(response)
        # The action filter offers words, not codes.
        options = '<option value="notes.read">Membuka catatan konseling</option>'
        assert options in response.content.decode()

    def test_a_filter_it_cannot_read_is_said_beside_its_field_and_kept(
        self, client: Client, members: dict[str, Any], log: Any
    ) -> None:
        client.force_login(members["warden"])
        response = client.get(
            reverse("accesslog:list"),
            {"start": "19-11-2026", "end": "17-11-2026", "action": "rahasia", "user": "x" * 500},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Tanggal akhir tidak boleh sebelum tanggal awal." in page
        assert "Pilih salah satu pilihan yang ada." in page
        assert 'value="19-11-2026"' in page and 'maxlength="100"' in page
        assert "Agus Salim" not in page

    def test_prints_and_exports_what_it_shows_and_logs_that(
        self, client: Client, members: dict[str, Any], log: Any, facility_a: Any
    ) -> None:
        client.force_login(members["warden"])
        export = client.get(reverse("accesslog:export"), {"wbp": "BI.0002/2026"})
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
        table = _rows(export.content)
        assert table[0][:5] == ["Waktu", "Nama", "Nama pengguna", "Peran", "Akses"]
        assert [row[4] for row in table[1:]] == [
            "Membuka catatan konseling", "Membuka hasil skrining kesehatan"
        ]  # fmt: skip
        assert table[1][0] == "19 November 2026 10.00 WITA"
        assert table[1][3] == "Konselor Adiksi" and table[1][5] == "Budi Santoso"
        printed = client.get(reverse("accesslog:print"), {"action": "urine_test.read"})
        text = printed.content.decode()
        assert "Agus Salim" in text and "Budi Santoso" not in text
        assert "Akses: Membuka hasil tes urine" in text
        logged = AccessLog.objects.filter(user=members["warden"]).order_by("id")
        assert [row.action for row in logged] == ["accesslog.xlsx", "accesslog.print"]
        assert all(row.facility_id == facility_a.pk for row in logged)
        # Its own export appears in the log, in words.
        page = _table(client.get(reverse("accesslog:list")))
        assert "Mengekspor log akses (XLSX)" in page and "Mencetak log akses" in page

    def test_pages_at_a_constant_query_count(
        self, client: Client, members: dict[str, Any], log: Any, facility_a: Any,
        django_assert_num_queries: Any,
    ) -> None:  # fmt: skip
        client.force_login(members["warden"])
        url = reverse("accesslog:list")
        client.get(url)  # the first request of a session looks up its time zone
        with django_assert_num_queries(8) as few:
            client.get(url)
        test = UrineTestFactory(inmate=log["agus"])
        for _ in range(60):
            audit.log_access(user=UserFactory(), facility=facility_a, action="pdf.download",
                             target=test, detail="surat.pdf")  # fmt: skip
        with django_assert_num_queries(len(few.captured_queries)):
            page = _table(client.get(url))
        assert page.count("Mengunduh PDF") == 50 and "1 / 2" in page


def test_the_case_file_costs_the_warden_the_same_queries_for_one_read_or_many(
    client: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)
    test = UrineTestFactory(inmate=inmate)
    audit.log_access(user=members["counselor"], facility=facility_a, action="urine_test.read",
                     target=test)  # fmt: skip
    client.force_login(members["warden"])
    client.get(inmate.get_absolute_url())
    with django_assert_num_queries(ALONE_WARDEN) as one:
        client.get(inmate.get_absolute_url())
    for _ in range(30):
        audit.log_access(user=UserFactory(), facility=facility_a, action="urine_test.read",
                         target=test)  # fmt: skip
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(inmate.get_absolute_url())


def test_existing_rows_get_their_wbp_and_roles(members: dict[str, Any], facility_a: Any) -> None:
    inmate = InmateFactory(facility=facility_a)
    audit.log_access(user=members["health"], facility=facility_a, action="urine_test.read",
                     target=UrineTestFactory(inmate=inmate))  # fmt: skip
    audit.log_access(user=members["warden"], facility=facility_a, action="pdf.download",
                     target=inmate)  # fmt: skip
    AccessLog.objects.update(inmate_id=None, roles="")  # as the rows were before the migration
    migration = importlib.import_module("rehab.migrations.0008_fill_access_log_inmate_and_roles")
    migration.fill(apps, None)
    rows = list(AccessLog.objects.order_by("id"))
    assert [row.inmate_id for row in rows] == [inmate.pk, inmate.pk]
    assert [row.role_labels() for row in rows] == ["Tenaga Kesehatan", "Kepala Rutan"]


def test_a_code_no_app_named_reads_as_words(members: dict[str, Any], facility_a: Any) -> None:
    assert audit.access_label("something.new") == "Data lain"
    assert audit.access_label("report.recap") == "Mengunduh rekap klien BNN (XLSX)"
