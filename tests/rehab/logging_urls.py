"""The app's URLs plus four views that fail on purpose, for tests/rehab/test_logging.py."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Peran ini tidak boleh menandatangani laporan.")


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the render failed")


def broken_case_file(request: HttpRequest, reg_no: str) -> HttpResponse:
    full_name = "Budi Santoso"
    nik = "6401011203900001"
    raise RuntimeError(f"cannot render {full_name} (NIK {nik}, {reg_no})")


urlpatterns = [
    path("uji-log/wbp/<str:reg_no>/rusak/", broken_case_file),
    path("uji-log/terlarang/", forbidden),
    path("uji-log/hilang/", missing),
    path("uji-log/rusak/", broken),
    path("", include("rehab.urls")),
]
