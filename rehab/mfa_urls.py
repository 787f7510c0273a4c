"""URLs of the second sign-in step, under akun/ (included by rehab/urls.py)."""

from django.urls import path

from rehab import mfa_views

urlpatterns = [
    path("verifikasi/", mfa_views.verify, name="mfa_verify"),
    path("dua-langkah/", mfa_views.settings_page, name="mfa_settings"),
    path("dua-langkah/daftar/", mfa_views.enrol, name="mfa_enrol"),
    path("dua-langkah/kode-pemulihan/", mfa_views.recovery_codes, name="mfa_recovery_codes"),
    path("dua-langkah/reset/", mfa_views.reset, name="mfa_reset"),
]
