"""The FHIR bundle for SATUSEHAT, under /laporan/fhir/ (names in the reports namespace)."""

from django.urls import path

from reports import fhir_views

urlpatterns = [
    path("", fhir_views.fhir_export, name="fhir_export"),
    path("bundle.json", fhir_views.fhir_bundle, name="fhir_bundle"),
]
