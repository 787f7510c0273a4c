"""Top-level URLs: accounts, the today page, the four apps, the access log and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from rehab import views

urlpatterns = [
    path("", views.today, name="today"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "hari-ini/peran-klinis-diketahui/",
        views.self_grant_acknowledge,
        name="self_grant_acknowledge",
    ),
    path("akun/masuk/", views.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("akun/", include("rehab.mfa_urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("wbp/", include("inmates.urls")),
    path("akses/", include("inmates.access_urls")),
    path("notifikasi/", include("rehab.notification_urls")),
    path("", include("assessments.urls")),
    path("program/", include("programs.urls")),
    path("laporan/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
