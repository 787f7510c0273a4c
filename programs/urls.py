from django.urls import path

from programs.aftercare import views as aftercare_views
from programs.completion import views as completion_views
from programs.scheduling import views as scheduling_views
from programs.skills import views as skills_views
from programs.tiers import views

app_name = "programs"
urlpatterns = [
    path("", views.cohort_list, name="cohort_list"),
    path("cetak/", views.cohort_list, {"output": "print"}, name="cohort_list_print"),
    path("ekspor.xlsx", views.cohort_list, {"output": "xlsx"}, name="cohort_list_export"),
    path("peserta/", views.enrolment_list, name="enrolment_list"),
    path("peserta/cetak/", views.enrolment_list, {"output": "print"}, name="enrolment_list_print"),
    path(
        "peserta/ekspor.xlsx",
        views.enrolment_list,
        {"output": "xlsx"},
        name="enrolment_list_export",
    ),
    path("angkatan/baru/", views.cohort_create, name="cohort_create"),
    path("angkatan/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("angkatan/<int:pk>/ubah/", views.cohort_edit, name="cohort_edit"),
    path("angkatan/<int:pk>/jadwal/", views.schedule, name="schedule"),
    path("angkatan/<int:pk>/peserta/", views.cohort_enrol, name="cohort_enrol"),
    path("persetujuan/", views.approvals, name="approvals"),
    path(
        "asesmen/<int:pk>/usulkan/",
        views.propose_from_assessment,
        name="propose_from_assessment",
    ),
    path("peserta/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("wbp/<int:pk>/lanjutkan/", views.enrolment_continue, name="enrolment_continue"),
    path("peserta/<int:pk>/status/", views.enrolment_move, name="enrolment_move"),
    path(
        "peserta/<int:pk>/pengecualian/", completion_views.enrolment_waive, name="enrolment_waive"
    ),
    path("peserta/<int:pk>/fase/", views.phase_change, name="phase_change"),
    path("peserta/<int:pk>/pindah-tingkat/", views.tier_change, name="tier_change"),
    path("peserta/<int:pk>/catatan/baru/", views.note_create, name="note_create"),
    path("catatan/<int:pk>/", views.note_edit, name="note_edit"),
    path("sesi/<int:pk>/", views.session_detail, name="session_detail"),
    path("sesi/<int:pk>/batal/", scheduling_views.session_cancel, name="session_cancel"),
    path("sesi/<int:pk>/pindah/", scheduling_views.session_reschedule, name="session_reschedule"),
    path("peserta/<int:pk>/sesi-individu/", views.individual_session, name="individual_session"),
    path("sesi/<int:pk>/daftar-hadir.pdf", views.attendance_sheet, name="attendance_sheet"),
    path("angkatan/<int:pk>/jadwal.pdf", views.schedule_pdf, name="schedule_pdf"),
    path("peserta/<int:pk>/sertifikat.pdf", views.certificate, name="certificate"),
    path("wbp/<int:pk>/jadwal-pribadi/", scheduling_views.block_list, name="block_list"),
    path("wbp/<int:pk>/jadwal-pribadi/baru/", scheduling_views.block_create, name="block_create"),
    path("jadwal-pribadi/<int:pk>/ubah/", scheduling_views.block_edit, name="block_edit"),
    path("jadwal-pribadi/<int:pk>/batal/", scheduling_views.block_cancel, name="block_cancel"),
    path("dipisah/", scheduling_views.separation_list, name="separation_list"),
    path("dipisah/baru/", scheduling_views.separation_create, name="separation_create"),
    path("dipisah/<int:pk>/akhiri/", scheduling_views.separation_end, name="separation_end"),
    path("jadwal-upt/minggu.pdf", scheduling_views.facility_week_pdf, name="facility_week_pdf"),
    path("jadwal-upt/pergerakan.pdf", scheduling_views.movement_pdf, name="movement_pdf"),
    path("fasilitator/", scheduling_views.facilitator_list, name="facilitator_list"),
    path("fasilitator/baru/", scheduling_views.facilitator_create, name="facilitator_create"),
    path("fasilitator/<int:pk>/", scheduling_views.facilitator_detail, name="facilitator_detail"),
    path("fasilitator/<int:pk>/ubah/", scheduling_views.facilitator_edit, name="facilitator_edit"),
    path("pembebasan/", aftercare_views.release_list, name="release_list"),
    path("pembebasan/wbp/<int:pk>/", aftercare_views.release_plan, name="release_plan"),
    path(
        "pembebasan/wbp/<int:pk>/serah-terima.pdf",
        aftercare_views.handover_letter,
        name="handover_letter",
    ),
    path("pascarehabilitasi/", aftercare_views.aftercare_list, name="aftercare_list"),
    path(
        "pascarehabilitasi/cetak/",
        aftercare_views.aftercare_list,
        {"output": "print"},
        name="aftercare_list_print",
    ),
    path(
        "pascarehabilitasi/ekspor.xlsx",
        aftercare_views.aftercare_list,
        {"output": "xlsx"},
        name="aftercare_list_export",
    ),
    path("pascarehabilitasi/<int:pk>/", aftercare_views.aftercare_record, name="aftercare_record"),
    path("pelatihan/", skills_views.course_list, name="course_list"),
    path("pelatihan/baru/", skills_views.course_create, name="course_create"),
    path("pelatihan/<int:pk>/", skills_views.course_detail, name="course_detail"),
    path("pelatihan/<int:pk>/ubah/", skills_views.course_edit, name="course_edit"),
    path("pelatihan/<int:pk>/jadwal/", skills_views.course_schedule, name="course_schedule"),
    path("pelatihan/<int:pk>/peserta/", skills_views.course_enrol, name="course_enrol"),
    path("pelatihan/pertemuan/<int:pk>/", skills_views.meeting_detail, name="meeting_detail"),
    path(
        "pelatihan/pertemuan/<int:pk>/pindah/",
        scheduling_views.meeting_reschedule,
        name="meeting_reschedule",
    ),
    path(
        "pelatihan/pertemuan/<int:pk>/batal/",
        scheduling_views.meeting_cancel,
        name="meeting_cancel",
    ),
    path("pelatihan/peserta/<int:pk>/status/", skills_views.trainee_move, name="trainee_move"),
    path(
        "pelatihan/peserta/<int:pk>/selesai/",
        skills_views.trainee_complete,
        name="trainee_complete",
    ),
    path(
        "pelatihan/peserta/<int:pk>/pengecualian/",
        completion_views.trainee_waive,
        name="trainee_waive",
    ),
    path(
        "pelatihan/peserta/<int:pk>/sertifikat.pdf",
        skills_views.course_certificate,
        name="course_certificate",
    ),
]
