"""Subject access (UU PDP): everything held about one WBP, and nothing about anyone else.

Two WBP of one facility with near-identical records (same cohort and session, same course,
similar names) and a third in another facility: the export of one holds his rows only.
"""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from programs.models import (
    Aftercare,
    Attendance,
    CourseAttendance,
    CourseMeeting,
    Enrolment,
    ProgressNote,
    ReleasePlan,
    Session,
    Trainee,
)
from rehab import audit
from rehab.models import AccessLog, AuditEntry
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    CourseFactory,
    HealthScreeningFactory,
    InmateFactory,
    ScreeningFactory,
    UrineTestFactory,
)

UTC = datetime.UTC
# The warden's download: the session, the access check, one query per kind of data and per
# staff member or facility named, the history and the access log; not per row.
QUERIES = 47


def _person(facility: Any, name: str, reg_no: str, nik: str, phone: str, shared: dict,
            staff: Any) -> dict[str, Any]:  # fmt: skip
    inmate = InmateFactory(
        facility=facility, full_name=name, registration_number=reg_no, nik=nik,
        address=f"Jl. {name} No. 1",
    )  # fmt: skip
    screening = ScreeningFactory(inmate=inmate)
    urine = UrineTestFactory(inmate=inmate)
    result = urine.results.create(analyte="AMP", result="positive")
    health = HealthScreeningFactory(inmate=inmate)
    assessment = AssessmentFactory(inmate=inmate)
    enrolment = Enrolment.objects.create(
        facility=facility, inmate=inmate, track=shared["cohort"].track, cohort=shared["cohort"],
        assessment=assessment, state="active",
    )  # fmt: skip
    attendance = Attendance.objects.create(
        session=shared["session"], enrolment=enrolment, status="present", recorded_by=staff
    )
    note = ProgressNote.objects.create(
        facility=facility, enrolment=enrolment, author=staff, summary=f"Catatan tentang {name}"
    )
    plan = ReleasePlan.objects.create(
        facility=facility, inmate=inmate, updated_by=staff, follow_up_phone=phone
    )
    aftercare = Aftercare.objects.create(
        facility=facility, inmate=inmate, month=1, due_on=datetime.date(2026, 12, 1),
        notes=f"Pemantauan {name}",
    )  # fmt: skip
    trainee = Trainee.objects.create(
        facility=facility, course=shared["course"], inmate=inmate, state="enrolled",
        created_by=staff,
    )  # fmt: skip
    course_attendance = CourseAttendance.objects.create(
        meeting=shared["meeting"], trainee=trainee, status="present", recorded_by=staff
    )
    read = audit.log_access(
        user=staff, facility=facility, action="health.view_result", target=health
    )
    return {
        "inmate": inmate, "nik": nik, "phone": phone,
        "ids": {
            "records": {inmate.pk}, "screenings": {screening.pk}, "urine_tests": {urine.pk},
            "health_screenings": {health.pk}, "assessments": {assessment.pk},
            "enrolments": {enrolment.pk}, "attendance": {attendance.pk},
            "progress_notes": {note.pk}, "release_plans": {plan.pk},
            "aftercare": {aftercare.pk}, "skills": {trainee.pk},
            "skills_attendance": {course_attendance.pk}, "access_log": {read.pk},
        },
        "result": result.pk,
    }  # fmt: skip


@pytest.fixture
def people(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    staff = members["staff"]
    shared = {}
    for facility in (facility_a, facility_b):
        cohort = CohortFactory(facility=facility)
        course = CourseFactory(facility=facility)
        shared[facility.pk] = {
            "cohort": cohort,
            "course": course,
            "session": Session.objects.create(
                facility=facility, cohort=cohort, kind="group",
                starts_at=datetime.datetime(2026, 11, 2, 1, tzinfo=UTC),
                ends_at=datetime.datetime(2026, 11, 2, 3, tzinfo=UTC), created_by=staff,
            ),
            "meeting": CourseMeeting.objects.create(
                course=course, starts_at=datetime.datetime(2026, 11, 4, 1, tzinfo=UTC),
                ends_at=datetime.datetime(2026, 11, 4, 4, tzinfo=UTC),
            ),
        }  # fmt: skip
    return {
        "own": _person(facility_a, "Budi Santoso", "AIII.101/2026", "6401011203900001",
                       "081234500001", shared[facility_a.pk], staff),
        "twin": _person(facility_a, "Budiman Santosa", "AIII.202/2026", "6401011203900002",
                        "081234500002", shared[facility_a.pk], staff),
        "far": _person(facility_b, "Joko Susilo", "BI.303/2026", "3304011203900003",
                       "081234500003", shared[facility_b.pk], staff),
    }  # fmt: skip


def _read_zip(content: bytes) -> tuple[dict[str, Any], bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "ringkasan.pdf"]
        return json.loads(archive.read("data.json")), archive.read("ringkasan.pdf")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "ringkasan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _assert_only_own(data: dict[str, Any], texts: list[str], people: dict[str, Any]) -> None:
    own = people["own"]
    for section, ids in own["ids"].items():
        assert {row["id"] for row in data[section]} == ids, section
    [test] = data["urine_tests"]
    assert [r["id"] for r in test["results"]] == [own["result"]]
    for other in (people["twin"], people["far"]):
        inmate = other["inmate"]
        for section, ids in other["ids"].items():
            assert not ids & {row["id"] for row in data[section]}, section
        for text in texts:
            for secret in (inmate.full_name, inmate.registration_number, other["nik"],
                           other["phone"], f"Catatan tentang {inmate.full_name}"):  # fmt: skip
                assert secret not in text
    for text in texts:
        for mine in ("Budi Santoso", "AIII.101/2026", own["nik"], own["phone"]):
            assert mine in text


def test_the_command_exports_one_wbp_and_no_one_else(
    people: dict[str, Any], tmp_path: Path, fed_html: list[str]
) -> None:
    output = tmp_path / "budi.zip"
    out = io.StringIO()
    call_command(
        "subject_access", "--facility", "grogot-uji", "--reg-no", "AIII.101/2026",
        "--output", str(output), stdout=out,
    )  # fmt: skip
    assert "rows in 22 sections" in out.getvalue()
    data, pdf = _read_zip(output.read_bytes())
    assert data["registration_number"] == "AIII.101/2026"
    [record] = data["records"]
    assert record["full_name"] == "Budi Santoso"
    assert record["address"] == "Jl. Budi Santoso No. 1"
    [health] = data["health_screenings"]
    assert health["hiv"] == "reactive"
    [note] = data["progress_notes"]
    assert note["summary"] == "Catatan tentang Budi Santoso"
    [read] = data["access_log"]
    assert read["action"] == "health.view_result"
    assert read["username"] == "staff.a"
    pdf_text = _pdf_text(pdf, tmp_path)
    assert "Kehadiran sesi (1)" in pdf_text
    _assert_only_own(data, [json.dumps(data, ensure_ascii=False), pdf_text, fed_html[0]], people)
    # Recorded in the WBP's history.
    entry = AuditEntry.objects.get(action="inmates.inmate.subject_access")
    assert entry.target_id == people["own"]["inmate"].pk
    assert entry.actor is None


def test_an_unknown_registration_number_is_refused(people: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Tidak ada WBP dengan nomor registrasi XX\.1"):
        call_command(
            "subject_access", "--facility", "grogot-uji", "--reg-no", "XX.1",
            "--output", str(tmp_path / "x.zip"),
        )  # fmt: skip
    # The other facility's WBP is not found through this facility's code.
    with pytest.raises(CommandError):
        call_command(
            "subject_access", "--facility", "grogot-uji", "--reg-no", "BI.303/2026",
            "--output", str(tmp_path / "x.zip"),
        )  # fmt: skip
    assert not (tmp_path / "x.zip").exists()


def test_the_warden_downloads_it_from_the_case_file(
    client: Client, people: dict[str, Any], members: dict[str, Any], tmp_path: Path
) -> None:
    own = people["own"]["inmate"]
    detail = reverse("inmates:detail", args=[own.pk])
    url = reverse("inmates:subject_access", args=[own.pk])
    client.force_login(members["staff"])
    assert url not in client.get(detail).content.decode()
    assert client.get(url).status_code == 403

    client.force_login(members["warden"])
    assert url in client.get(detail).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert "akses-subjek-grogot-uji-AIII-101-2026.zip" in response["Content-Disposition"]
    data, pdf = _read_zip(response.content)
    _assert_only_own(data, [json.dumps(data, ensure_ascii=False), _pdf_text(pdf, tmp_path)],
                     people)  # fmt: skip
    assert AccessLog.objects.filter(
        action="inmate.subject_access", target_id=own.pk, user=members["warden"]
    ).exists()
    assert (
        AuditEntry.objects.get(action="inmates.inmate.subject_access").actor == (members["warden"])
    )


def test_the_download_costs_the_same_queries_for_more_data(
    client: Client, people: dict[str, Any], members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    own = people["own"]["inmate"]
    url = reverse("inmates:subject_access", args=[own.pk])
    client.force_login(members["warden"])
    client.get(url)  # sessions and the like settled

    def more() -> None:
        staff = members["staff"]
        enrolment = own.enrolments.get()
        for n in range(3):
            test = UrineTestFactory(inmate=own, collector=staff)
            test.results.create(analyte="THC", result="negative")
            ProgressNote.objects.create(
                facility=own.facility, enrolment=enrolment, author=staff, summary=f"Lagi {n}"
            )
            audit.log_access(user=staff, facility=own.facility, action="pdf.download", target=own)

    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    more()
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
