from django.urls import path

from inmates import views

app_name = "inmates"
urlpatterns = [
    path("", views.inmate_list, name="list"),
    path("cetak/", views.inmate_list_print, name="list_print"),
    path("ekspor.xlsx", views.inmate_list_export, name="list_export"),
    path("cari/", views.search_suggest, name="search_suggest"),
    path("baru/", views.inmate_create, name="create"),
    path("cek-duplikat/", views.duplicate_check, name="duplicate_check"),
    path("impor/", views.import_upload, name="import"),
    path("impor/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.inmate_detail, name="detail"),
    path("<int:pk>/ubah/", views.inmate_edit, name="edit"),
    path("<int:pk>/pindah/", views.inmate_transfer, name="transfer"),
    path("pindahan/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("pindahan/<int:pk>/terima/", views.transfer_accept, name="transfer_accept"),
    path("pindahan/<int:pk>/tolak/", views.transfer_refuse, name="transfer_refuse"),
    path("pindah-luar/<int:pk>/serah-terima.pdf", views.handover_pdf, name="handover_pdf"),
    path("<int:pk>/bebas/", views.inmate_release, name="release"),
    path("<int:pk>/riwayat/", views.inmate_history, name="history"),
    path("<int:pk>/akses-subjek.zip", views.inmate_subject_access, name="subject_access"),
]
