"""The facility-wide access log, at /akses/."""

from django.urls import path

from inmates import accesslog

app_name = "accesslog"
urlpatterns = [
    path("", accesslog.access_log, name="list"),
    path("cetak/", accesslog.access_log, {"output": "print"}, name="print"),
    path("ekspor.xlsx", accesslog.access_log, {"output": "xlsx"}, name="export"),
]
