"""The app's URLs plus three views that fail on purpose, for tests/rehab/test_logging.py."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Peran ini tidak boleh menandatangani laporan.")


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the render failed")


urlpatterns = [
    path("uji-log/terlarang/", forbidden),
    path("uji-log/hilang/", missing),
    path("uji-log/rusak/", broken),
    path("", include("rehab.urls")),
]
