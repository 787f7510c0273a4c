from django.urls import include, path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/buat-ulang/", views.regenerate, name="regenerate"),
    path("<int:pk>/tanda-tangan/", views.sign, name="sign"),
    path("<int:pk>/unduh.<str:fmt>", views.download, name="download"),
    path("<int:pk>/rekap-klien.xlsx", views.recap, name="recap"),
    path("tdi/", views.tdi_page, name="tdi"),
    path("tdi/unduh.<str:fmt>", views.tdi_download, name="tdi_download"),
    path("definisi/", views.definitions_page, name="definitions"),
    path("rekap-wilayah/", views.rollup, name="rollup"),
    path("rekap-wilayah.pdf", views.rollup_pdf, name="rollup_pdf"),
    path("rekap-wilayah/hitung-ulang/", views.rollup_refresh, name="rollup_refresh"),
    path("fhir/", include("reports.fhir_urls")),
]
