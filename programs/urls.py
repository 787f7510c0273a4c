from django.urls import path

from programs import views

app_name = "programs"
urlpatterns = [
    path("", views.cohort_list, name="cohort_list"),
    path("angkatan/baru/", views.cohort_create, name="cohort_create"),
    path("angkatan/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("angkatan/<int:pk>/jadwal/", views.schedule, name="schedule"),
    path("angkatan/<int:pk>/peserta/", views.cohort_enrol, name="cohort_enrol"),
    path("persetujuan/", views.approvals, name="approvals"),
    path("peserta/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("peserta/<int:pk>/status/", views.enrolment_move, name="enrolment_move"),
    path("peserta/<int:pk>/fase/", views.phase_change, name="phase_change"),
    path("peserta/<int:pk>/catatan/baru/", views.note_create, name="note_create"),
    path("catatan/<int:pk>/", views.note_edit, name="note_edit"),
    path("sesi/<int:pk>/", views.session_detail, name="session_detail"),
    path("sesi/<int:pk>/batal/", views.session_cancel, name="session_cancel"),
    path("peserta/<int:pk>/sesi-individu/", views.individual_session, name="individual_session"),
    path("sesi/<int:pk>/daftar-hadir.pdf", views.attendance_sheet, name="attendance_sheet"),
    path("angkatan/<int:pk>/jadwal.pdf", views.schedule_pdf, name="schedule_pdf"),
    path("peserta/<int:pk>/sertifikat.pdf", views.certificate, name="certificate"),
]
