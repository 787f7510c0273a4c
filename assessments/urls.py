from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("wbp/<int:pk>/skrining/baru/", views.screening_create, name="screening_create"),
    path("skrining/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("skrining/<int:pk>/pdf/", views.screening_pdf, name="screening_pdf"),
    path("wbp/<int:pk>/tes-urine/baru/", views.urine_create, name="urine_create"),
    path("tes-urine/<int:pk>/", views.urine_detail, name="urine_detail"),
    path("wbp/<int:pk>/kesehatan/baru/", views.health_create, name="health_create"),
    path("kesehatan/<int:pk>/", views.health_detail, name="health_detail"),
    path("wbp/<int:pk>/asesmen/baru/", views.assessment_create, name="assessment_create"),
    path("asesmen/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("asesmen/<int:pk>/ubah/", views.assessment_edit, name="assessment_edit"),
    path("asesmen/<int:pk>/tandatangan/", views.assessment_sign, name="assessment_sign"),
    path("asesmen/<int:pk>/koreksi/", views.assessment_amend, name="assessment_amend"),
]
