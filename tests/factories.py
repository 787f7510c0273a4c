"""factory_boy factories for the organisation and WBP records."""

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessorCredential,
    AssistScreening,
    HealthScreening,
    UrineTest,
)
from inmates.models import CaseArticle, Inmate, RegisterClass, Sex
from programs.models import (
    Attendance,
    Cohort,
    Course,
    CourseAttendance,
    CourseMeeting,
    Enrolment,
    Session,
    Track,
    Trainee,
)
from rehab.models import Agency, AgencyKind, Facility, FacilityClass, FacilityKind, Membership

PASSWORD = "uji-sandi-panjang-2026"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Rutan Kelas IIB Uji {n}")
    code = factory.Sequence(lambda n: f"uji{n}")
    kind = FacilityKind.RUTAN
    facility_class = FacilityClass.CLASS_IIB
    regency = "Kabupaten Paser"
    province = "Kalimantan Timur"
    time_zone = "Asia/Makassar"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"BNNK Uji {n}")
    kind = AgencyKind.BNNK
    regency = "Kabupaten Paser"
    province = "Kalimantan Timur"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    facility = factory.SubFactory(FacilityFactory)
    role = "staff"


class InmateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inmate

    facility = factory.SubFactory(FacilityFactory)
    registration_number = factory.Sequence(lambda n: f"BI.{n:04d}/2026")
    register_class = RegisterClass.B_I
    full_name = factory.Faker("name", locale="id_ID")
    sex = Sex.MALE
    birth_date = datetime.date(1990, 5, 17)
    admission_date = datetime.date(2026, 3, 2)
    expiry_date = datetime.date(2029, 3, 1)
    release_date = datetime.date(2028, 11, 1)
    block = "A"
    cell = "3"


class CaseArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseArticle

    inmate = factory.SubFactory(InmateFactory)
    article = "127"
    paragraph = "1"
    letter = "a"


class ScreeningFactory(factory.django.DjangoModelFactory):
    """An ASSIST screening with no answers: tests that need scores use the service."""

    class Meta:
        model = AssistScreening

    inmate = factory.SubFactory(InmateFactory)
    facility = factory.SelfAttribute("inmate.facility")
    interviewed_on = datetime.date(2026, 3, 10)
    interviewer = factory.SubFactory(UserFactory)


class UrineTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UrineTest

    inmate = factory.SubFactory(InmateFactory)
    facility = factory.SelfAttribute("inmate.facility")
    tested_on = datetime.date(2026, 3, 10)
    collector = factory.SubFactory(UserFactory)


class HealthScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthScreening

    inmate = factory.SubFactory(InmateFactory)
    facility = factory.SelfAttribute("inmate.facility")
    screened_on = datetime.date(2026, 3, 10)
    examiner = factory.SubFactory(UserFactory)
    consent_given = True
    hiv = "reactive"
    hepatitis_c = "non_reactive"
    referred_to = "RSUD Panglima Sebaya"


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment; sign it through the service when a test needs a signed one."""

    class Meta:
        model = Assessment

    inmate = factory.SubFactory(InmateFactory)
    facility = factory.SelfAttribute("inmate.facility")
    assessed_on = datetime.date(2026, 3, 12)
    assessor = factory.SubFactory(UserFactory)
    final_tier = "sedang"


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessorCredential

    user = factory.SubFactory(UserFactory)
    certificate_number = factory.Sequence(lambda n: f"ASR-{n:04d}/BNN/2025")
    issuing_body_name = "BNN RI"
    valid_from = datetime.date(2025, 1, 1)
    valid_until = datetime.date(2027, 12, 31)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    name = "Ringan 15 hari"
    tier = "ringan"
    duration_days = 15


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    facility = factory.SubFactory(FacilityFactory)
    track = factory.SubFactory(TrackFactory)
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = datetime.date(2026, 11, 2)
    end_date = datetime.date(2026, 11, 16)
    capacity = 20
    place = "Aula pembinaan"
    created_by = factory.SubFactory(UserFactory)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    facility = factory.SubFactory(FacilityFactory)
    kind = "sewing"
    name = factory.Sequence(lambda n: f"Menjahit Dasar {n}")
    provider_kind = "blk"
    provider_name = "BLK Kabupaten Paser"
    hours = 80
    capacity = 12
    start_date = datetime.date(2026, 11, 2)
    end_date = datetime.date(2026, 12, 11)
    place = "Bengkel jahit"
    competency_standard = "SKKNI Menjahit Pakaian Dasar"
    certificate_issuer = "UPTD BLK Kabupaten Paser"
    created_by = factory.SubFactory(UserFactory)


def signed_assessment(inmate: Inmate, **kwargs: object) -> Assessment:
    """A signed assessment of the WBP, ready to place from."""
    assessment = AssessmentFactory(
        inmate=inmate,
        status="signed",
        signed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        **kwargs,
    )
    assessment.signed_by = assessment.assessor
    assessment.save(update_fields=["signed_by"])
    return assessment


def release_plan_data(**overrides: Any) -> dict[str, Any]:
    """The fields of a complete release plan as the form posts them (version 0: a first save)."""
    data = {
        "bnnk_referral": "on", "bapas_referral": "on", "family_contact_name": "Siti Aminah",
        "family_contact_relation": "Ibu", "family_contact_phone": "0812-3456-7890",
        "follow_up_address": "Jl. Kenanga 4, Tanah Grogot", "follow_up_phone": "081234567890",
        "notes": "", "version": "0",
    }  # fmt: skip
    return {**data, **overrides}


def attended_in_full(enrolment: Enrolment, by: Any) -> list[Session]:
    """Held sessions of the enrolment's cohort in the days before now, the participant present
    at each: every required session kind of the track as often as it is required (one group
    session when the track requires none), so the completion gate is met."""
    kinds = [(r.session_kind, r.count) for r in enrolment.track.requirements.all()]
    sessions: list[Session] = []
    for kind, count in kinds or [("group", 1)]:
        for _ in range(count):
            starts = timezone.now() - datetime.timedelta(days=len(sessions) + 1)
            session = Session.objects.create(
                facility_id=enrolment.facility_id, cohort_id=enrolment.cohort_id, kind=kind,
                starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), status="held",
                created_by=by,
            )  # fmt: skip
            Attendance.objects.create(
                session=session, enrolment=enrolment, status="present", recorded_by=by
            )
            sessions.append(session)
    return sessions


def held_sessions(enrolment: Enrolment, by: Any, marks: list[str], first_day: int = 1) -> None:
    """Held group sessions of the enrolment's cohort on consecutive days of November 2026 from
    `first_day` on (before the suite's clock, the 20th), one mark each for the participant."""
    for day, mark in enumerate(marks, start=first_day):
        starts = datetime.datetime(2026, 11, day, 1, 0, tzinfo=datetime.UTC)
        session = Session.objects.create(
            facility_id=enrolment.facility_id, cohort_id=enrolment.cohort_id, kind="group",
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), status="held",
            created_by=by,
        )  # fmt: skip
        Attendance.objects.create(session=session, enrolment=enrolment, status=mark, recorded_by=by)


def meetings_attended(trainee: Trainee, by: Any, present: int = 1, absent: int = 0) -> None:
    """Held meetings of the trainee's course in the days before now with these marks."""
    for day, status in enumerate(["present"] * present + ["absent"] * absent, start=1):
        starts = timezone.now() - datetime.timedelta(days=day)
        meeting = CourseMeeting.objects.create(
            course_id=trainee.course_id, starts_at=starts, status="held",
            ends_at=starts + datetime.timedelta(hours=2),
        )  # fmt: skip
        CourseAttendance.objects.create(
            meeting=meeting, trainee=trainee, status=status, recorded_by=by
        )
