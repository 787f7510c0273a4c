from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("wbp/<int:pk>/skrining/baru/", views.screening_create, name="screening_create"),
    path("skrining/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("skrining/<int:pk>/pdf/", views.screening_pdf, name="screening_pdf"),
    path("wbp/<int:pk>/tes-urine/baru/", views.urine_create, name="urine_create"),
    path("tes-urine/<int:pk>/", views.urine_detail, name="urine_detail"),
    path("tes-urine/<int:pk>/koreksi/", views.urine_correct, name="urine_correct"),
    path(
        "koreksi-urine/<int:pk>/konfirmasi/",
        views.urine_correction_confirm,
        name="urine_correction_confirm",
    ),
    path(
        "koreksi-urine/<int:pk>/tolak/",
        views.urine_correction_refuse,
        name="urine_correction_refuse",
    ),
    path("wbp/<int:pk>/kesehatan/baru/", views.health_create, name="health_create"),
    path("kesehatan/<int:pk>/", views.health_detail, name="health_detail"),
    path("kesehatan/<int:pk>/koreksi/", views.health_correct, name="health_correct"),
    path("wbp/<int:pk>/asesmen-ulang/", views.review_list, name="reviews"),
    path("wbp/<int:pk>/asesmen-ulang/geser/", views.review_move, name="review_move"),
    path("wbp/<int:pk>/asesmen/baru/", views.assessment_create, name="assessment_create"),
    path("asesmen/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("asesmen/<int:pk>/ubah/", views.assessment_edit, name="assessment_edit"),
    path("asesmen/<int:pk>/tandatangan/", views.assessment_sign, name="assessment_sign"),
    path("asesmen/<int:pk>/koreksi/", views.assessment_amend, name="assessment_amend"),
]
