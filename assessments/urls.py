from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("wbp/<int:pk>/skrining/baru/", views.screening_create, name="screening_create"),
    path("skrining/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("wbp/<int:pk>/tes-urine/baru/", views.urine_create, name="urine_create"),
    path("tes-urine/<int:pk>/", views.urine_detail, name="urine_detail"),
    path("wbp/<int:pk>/kesehatan/baru/", views.health_create, name="health_create"),
    path("kesehatan/<int:pk>/", views.health_detail, name="health_detail"),
]
