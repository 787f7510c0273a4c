"""Reminders: built each morning, shown under the bell, mailed at 07.00 in each user's zone."""

from __future__ import annotations

import datetime
import importlib
import re
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from assessments import reviews
from inmates.models import Transfer
from programs.models import Cohort, Enrolment, ProgressNote, Session
from rehab import notifications
from rehab.models import Facility, Notification, NotificationKind, NotificationPreference
from tests.factories import (
    CohortFactory,
    HealthScreeningFactory,
    InmateFactory,
    MembershipFactory,
    TrackFactory,
    UrineTestFactory,
    UserFactory,
    signed_assessment,
)

UTC = datetime.UTC
BASE_URL = "https://rehab.contoh.go.id"
NOTE_TEXT = "Mengaku masih memakai sabu di blok C"
# 07.00 WITA (UTC+8) on 20 November is 23.00 UTC on the 19th; 07.00 WIB (UTC+7) is 00.00 UTC.
WITA_SEVEN = datetime.datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
WIB_SEVEN = datetime.datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _base_url(settings: Any) -> None:
    settings.REHAB_BASE_URL = BASE_URL
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def counsellor(facility: Facility, username: str, *, digest: bool = True) -> Any:
    user = UserFactory(username=username, email=f"{username}@contoh.go.id")
    MembershipFactory(user=user, facility=facility, role="counselor")
    NotificationPreference.objects.create(user=user, digest=digest)
    return user


def leaving_soon(facility: Facility, name: str, author: Any) -> Enrolment:
    """A WBP in a cohort, released in 15 days, with a reactive HIV screening and a note."""
    cohort = CohortFactory(facility=facility, track=TrackFactory(), created_by=author)
    person = InmateFactory(
        facility=facility, full_name=name, release_date=datetime.date(2026, 12, 5)
    )
    HealthScreeningFactory(inmate=person, hiv="reactive", examiner=author)
    enrolment = Enrolment.objects.create(
        facility=facility, inmate=person, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(person, final_tier="ringan"), state="active",
    )  # fmt: skip
    ProgressNote.objects.create(
        facility=facility, enrolment=enrolment, author=author, summary=NOTE_TEXT,
        concerns="Hasil HIV reaktif, rujuk ke RSUD",
    )  # fmt: skip
    return enrolment


def _body(message: Any) -> str:
    html = "".join(content for content, _mime in message.alternatives)
    return f"{message.subject}\n{message.body}\n{html}"


@pytest.mark.clock(WITA_SEVEN.isoformat())
def test_each_zone_gets_one_digest_at_its_own_seven_without_health_detail(
    clock: Any, facility_a: Facility, facility_b: Facility, mailoutbox: list[Any]
) -> None:
    wita = counsellor(facility_a, "konselor.grogot")
    wib = counsellor(facility_b, "konselor.banjar")
    leaving_soon(facility_a, "Rahmat Hidayat", wita)
    leaving_soon(facility_b, "Sutrisno Wibowo", wib)

    # 23.00 UTC: 07.00 in Tanah Grogot (WITA), 06.00 in Banjarnegara (WIB).
    notifications.hourly()
    notifications.hourly()  # a second run in the same hour sends nothing more
    assert [m.to for m in mailoutbox] == [[wita.email]]
    assert not Notification.objects.filter(user=wib).exists()  # WIB's are built at its 07.00

    clock.move_to(WIB_SEVEN)  # 07.00 WIB, 08.00 WITA
    notifications.hourly()
    notifications.hourly()
    assert [m.to for m in mailoutbox] == [[wita.email], [wib.email]]

    clock.move_to(WIB_SEVEN + datetime.timedelta(hours=1))
    notifications.hourly()
    assert len(mailoutbox) == 2

    for message, name in zip(mailoutbox, ["Rahmat Hidayat", "Sutrisno Wibowo"], strict=True):
        text = _body(message)
        assert name in text and "05-12-2026" in text
        assert f"{BASE_URL}/program/pembebasan/wbp/" in message.body
        assert f'href="{BASE_URL}/notifikasi/"' in message.alternatives[0][0]
        assert message.alternatives[0][1] == "text/html"
        for secret in (NOTE_TEXT, "HIV", "reaktif", "Reaktif", "reactive", "RSUD"):
            assert secret not in text


@pytest.mark.clock(WITA_SEVEN.isoformat())
def test_the_next_morning_brings_the_next_digest(
    clock: Any, facility_a: Facility, mailoutbox: list[Any]
) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    leaving_soon(facility_a, "Rahmat Hidayat", user)
    notifications.hourly()
    clock.move_to(WITA_SEVEN + datetime.timedelta(hours=23))
    notifications.hourly()
    assert len(mailoutbox) == 1
    clock.move_to(WITA_SEVEN + datetime.timedelta(days=1))
    notifications.hourly()
    assert len(mailoutbox) == 2
    assert NotificationPreference.objects.get(user=user).digest_sent_on == datetime.date(
        2026, 11, 21
    )


@pytest.mark.clock(WITA_SEVEN.isoformat())
def test_no_digest_without_opting_in_or_without_anything_unread(
    facility_a: Facility, mailoutbox: list[Any]
) -> None:
    quiet = counsellor(facility_a, "konselor.diam", digest=False)
    counsellor(facility_a, "konselor.kosong")  # opted in, nothing waits for him
    notifications.hourly()
    assert mailoutbox == []
    leaving_soon(facility_a, "Rahmat Hidayat", quiet)
    notifications.build([facility_a])
    assert Notification.objects.filter(user=quiet).exists()  # the bell still shows it
    notifications.send_digests()
    assert mailoutbox == []  # the quiet one did not ask; the other had his (empty) 07.00


def test_the_same_reminder_is_created_once(facility_a: Facility, clock: Any) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    leaving_soon(facility_a, "Rahmat Hidayat", user)
    first = notifications.build([facility_a])
    assert first >= 1
    assert notifications.build([facility_a]) == 0
    clock.move_to(datetime.datetime(2026, 11, 21, 7, 0, tzinfo=UTC))
    assert notifications.build([facility_a]) == 0  # the next day: still the same release
    release = Notification.objects.filter(user=user, kind=NotificationKind.RELEASE_SOON)
    assert release.count() == 1
    assert release.get().title == "Rahmat Hidayat bebas 05-12-2026: siapkan rencana pembebasan"


def test_a_muted_kind_is_neither_created_nor_mailed(
    facility_a: Facility, client: Client, mailoutbox: list[Any]
) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    _rows(user, facility_a, 2)  # two release reminders waiting from before
    leaving_soon(facility_a, "Rahmat Hidayat", user)
    client.force_login(user)
    response = client.post(
        reverse("notifications:settings"), {"muted": ["release_soon"], "digest": "on"}
    )
    assert response.status_code == 302
    assert notifications.unread_count(user) == 0  # the waiting ones left the bell
    notifications.build([facility_a])
    kinds = set(Notification.objects.filter(user=user, read_at=None).values_list("kind", flat=True))
    assert kinds and NotificationKind.RELEASE_SOON not in kinds
    assert not Notification.objects.filter(user=user, title__contains="Rahmat Hidayat bebas")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Rahmat Hidayat bebas" not in page
    assert re.search(r'<input[^>]*value="release_soon"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="digest"[^>]*checked', page)


def test_the_settings_form_refuses_an_unknown_kind(facility_a: Facility, client: Client) -> None:
    user = counsellor(facility_a, "konselor.grogot", digest=False)
    client.force_login(user)
    response = client.post(reverse("notifications:settings"), {"muted": ["hasil_hiv"]})
    assert response.status_code == 200
    assert "hasil_hiv" in response.content.decode()  # the message names the bad choice
    assert NotificationPreference.objects.get(user=user).muted == []


def test_the_digest_needs_an_e_mail_address(facility_a: Facility, client: Client) -> None:
    user = MembershipFactory(facility=facility_a, role="staff", user__email="").user
    client.force_login(user)
    response = client.post(reverse("notifications:settings"), {"digest": "on"})
    assert response.status_code == 200
    assert "belum punya alamat e-mail" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=user, digest=True).exists()


def test_incoming_transfers_approvals_and_moved_sessions_reach_the_right_roles(
    facility_a: Facility, facility_b: Facility, members: dict[str, Any]
) -> None:
    origin_staff = MembershipFactory(facility=facility_b, role="staff").user
    arriving = InmateFactory(facility=facility_b, full_name="Agus Salim", status="transferred")
    transfer = Transfer.objects.create(
        facility=facility_a, from_facility=facility_b, inmate=arriving, reason="Kapasitas",
        on=datetime.date(2026, 11, 19), created_by=origin_staff,
    )  # fmt: skip
    proposed = leaving_soon(facility_a, "Budi Santoso", members["counselor"])
    Enrolment.objects.filter(pk=proposed.pk).update(state="proposed")
    cohort: Cohort = proposed.cohort  # type: ignore[assignment]
    start = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    Session.objects.create(
        facility=facility_a, cohort=cohort, kind="group", place="Aula", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), created_by=members["counselor"],
        status="cancelled", changed_at=datetime.datetime(2026, 11, 19, 2, 0, tzinfo=UTC),
    )  # fmt: skip

    notifications.build()

    def titles(user: Any) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for kind, title in Notification.objects.filter(user=user).values_list("kind", "title"):
            found.setdefault(kind, []).append(title)
        return found

    staff, warden, counselor = members["staff"], members["warden"], members["counselor"]
    assert titles(staff)["transfer_incoming"] == [
        f"WBP pindahan dari {facility_b.name}: Agus Salim, 19-11-2026"
    ]
    assert Notification.objects.get(user=staff, kind="transfer_incoming").url == reverse(
        "inmates:transfer_detail", args=[transfer.pk]
    )
    assert titles(warden)["approval_waiting"] == [
        "Usulan penempatan Budi Santoso menunggu persetujuan"
    ]
    assert titles(counselor)["session_changed"] == [
        f"Sesi {cohort.name} 23-11-2026 09.00 dibatalkan"
    ]
    assert "transfer_incoming" not in titles(counselor)
    assert "approval_waiting" not in titles(staff)
    assert titles(origin_staff) == {}
    assert titles(members["health"]).keys() <= {"review_due", "review_overdue"}


def _rows(user: Any, facility: Facility, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            user=user,
            facility=facility,
            kind="release_soon",
            title=f"Pengingat {i}",
            url="/",
            key=f"uji:{i}",
        )
        for i in range(count)
    )


# The middleware's own (session, user, MFA and session checks) plus the count; the list adds
# the notifications with their facility, the preference and the roles for the menu.
BELL_QUERIES = 6
LIST_QUERIES = 10


@pytest.mark.parametrize("count", [2, 40])
def test_the_bell_shows_the_unread_count_in_a_fixed_number_of_queries(
    facility_a: Facility, client: Client, django_assert_num_queries: Any, count: int
) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    _rows(user, facility_a, count)
    client.force_login(user)
    page = client.get(reverse("today")).content.decode()
    assert f'hx-get="{reverse("notifications:count")}"' in page
    with django_assert_num_queries(BELL_QUERIES):
        response = client.get(reverse("notifications:count"))
    assert f">{count}<" in response.content.decode()


@pytest.mark.parametrize("count", [2, 40])
def test_the_list_page_in_a_fixed_number_of_queries(
    facility_a: Facility, client: Client, django_assert_num_queries: Any, count: int
) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    _rows(user, facility_a, count)
    client.force_login(user)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count("Pengingat ") == count


def test_mark_one_then_all_read(facility_a: Facility, client: Client) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    other = counsellor(facility_a, "konselor.lain")
    _rows(user, facility_a, 3)
    _rows(other, facility_a, 1)
    client.force_login(user)
    first = Notification.objects.filter(user=user).first()
    assert first is not None
    foreign = Notification.objects.get(user=other)
    client.post(reverse("notifications:read"), {"id": str(first.pk)})
    client.post(reverse("notifications:read"), {"id": str(foreign.pk)})  # not his: untouched
    assert notifications.unread_count(user) == 2
    assert Notification.objects.get(pk=foreign.pk).read_at is None
    assert ">2<" in client.get(reverse("notifications:count")).content.decode()
    response = client.post(reverse("notifications:read"), {"all": "1"})
    assert response.status_code == 302
    assert notifications.unread_count(user) == 0
    assert client.get(reverse("notifications:count")).content.decode().strip() == ""


def test_beat_runs_the_reminders_every_hour(db: Any) -> None:
    # A test with a live worker or a transactional database flushes the rows the migration
    # wrote: write them again (the migration is idempotent), then read what it schedules.
    importlib.import_module("rehab.migrations.0010_notification_schedule").forwards(
        django_apps, None
    )
    task = PeriodicTask.objects.get(task="rehab.tasks.notify_hourly")
    assert task.enabled
    assert task.crontab is not None
    assert (task.crontab.minute, task.crontab.hour) == ("0", "*")


@pytest.mark.clock(WITA_SEVEN.isoformat())
def test_the_task_builds_and_sends(facility_a: Facility, mailoutbox: list[Any]) -> None:
    from rehab.tasks import notify_hourly

    user = counsellor(facility_a, "konselor.grogot")
    leaving_soon(facility_a, "Rahmat Hidayat", user)
    result = notify_hourly.apply().get()
    assert result.endswith("1 sent")
    assert len(mail.outbox) == 1


@pytest.mark.clock(WITA_SEVEN.isoformat())
def test_a_re_assessment_after_a_positive_urine_test_does_not_say_why(
    facility_a: Facility, mailoutbox: list[Any]
) -> None:
    user = counsellor(facility_a, "konselor.grogot")
    person = InmateFactory(facility=facility_a, full_name="Joko Susilo")
    signed_assessment(person, assessed_on=datetime.date(2026, 10, 1), final_tier="ringan")
    test = UrineTestFactory(inmate=person, tested_on=datetime.date(2026, 11, 10), collector=user)
    test.results.create(analyte="MET", result="positive")
    assert "urine" in {r.kind for r in reviews.reviews_of_inmate(person)}

    notifications.hourly()

    titles = list(
        Notification.objects.filter(user=user, kind__startswith="review_").values_list(
            "title", flat=True
        )
    )
    assert titles and all(t.startswith("Asesmen ulang Joko Susilo ") for t in titles)
    text = _body(mailoutbox[0])
    assert "Joko Susilo" in text
    for secret in ("urine", "Urine", "positif", "MET", "sabu"):
        assert secret not in text


def test_a_reminder_no_longer_due_leaves_the_bell_the_next_morning(
    clock: Any, facility_a: Facility, facility_b: Facility, members: dict[str, Any]
) -> None:
    staff = members["staff"]
    origin = MembershipFactory(facility=facility_b, role="staff").user
    transfers = [
        Transfer.objects.create(
            facility=facility_a,
            from_facility=facility_b,
            reason="Kapasitas",
            inmate=InmateFactory(facility=facility_b, full_name=name, status="transferred"),
            on=datetime.date(2026, 11, 19),
            created_by=origin,
        )
        for name in ("Agus Salim", "Dedi Kurnia")
    ]
    notifications.build([facility_a])
    assert notifications.unread_count(staff) == 2
    read = Notification.objects.get(user=staff, title__contains="Dedi Kurnia")
    notifications.mark_read(staff, [read.pk])
    Transfer.objects.filter(pk__in=[t.pk for t in transfers]).update(state="refused")

    clock.move_to(datetime.datetime(2026, 11, 21, 7, 0, tzinfo=UTC))
    assert notifications.build([facility_a]) == 0
    # The unread one is gone; the one he read stays in his list as read.
    assert list(Notification.objects.filter(user=staff).values_list("title", flat=True)) == [
        read.title
    ]
