"""One's own notifications, at /notifikasi/."""

from django.urls import path

from rehab import notification_views as views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("jumlah/", views.notification_count, name="count"),
    path("baca/", views.notification_read, name="read"),
    path("pengaturan/", views.notification_settings, name="settings"),
]
