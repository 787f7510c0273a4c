"""PDF rendering with WeasyPrint: a Django template in, PDF bytes out, nothing fetched from outside.

Print templates extend templates/base_print.html and link their stylesheet with {% static %}.
WeasyPrint asks a URL fetcher for every stylesheet, image, font and attachment; ours serves the
project's static files and data: URLs only, so no template, however careless its <img src>,
url() or <link rel="attachment">, can make the server read /etc/passwd into a PDF or reach the
network (WeasyPrint's own fetcher opens file: and http: URLs).
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header

from rehab import audit
from rehab.models import Facility, PaperSize

# Paper sizes in millimetres (width, height). F4 (folio) is the usual paper in Indonesian offices.
PAGE_SIZES: dict[str, tuple[int, int]] = {"A4": (210, 297), "F4": (215, 330)}


def page_size(request: HttpRequest, facility: Facility | None = None) -> str:
    """The paper size a print link asks for (`?size=F4`); else the facility's own paper size
    (F4 unless it chose A4), also when the link names a size we do not know."""
    default = facility.paper_size if facility is not None else PaperSize.F4
    size = request.GET.get("size", "").upper()
    return size if size in PAGE_SIZES else str(default)


# Base URL of every rendered document. The host is reserved (RFC 2606) and never contacted:
# it only lets WeasyPrint turn "/static/css/print.css" into an absolute URL for the fetcher.
BASE_URL = "https://rehab.invalid/"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are not installed."""


class RefusedURL(ValueError):
    """The fetcher does not serve this URL."""


class StaticFilesFetcher:
    """Serve static files and data: URLs to WeasyPrint; refuse file:, http(s): and the rest."""

    # WeasyPrint reads this when the fetcher raises: False logs a warning and skips the resource.
    _fail_on_errors = False

    def __call__(self, url: str) -> Any:
        """Return a WeasyPrint response for the URL, or raise RefusedURL."""
        return self.fetch(url)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        """Return a WeasyPrint response for the URL, or raise RefusedURL."""
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        if url.lower().startswith("data:"):
            return URLFetcher(allowed_protocols={"data"}).fetch(url)
        name = static_name(url)
        if name is None:
            raise RefusedURL(f"not a static file of the project: {url[:200]}")
        body = read_static(name)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_name(url: str) -> str | None:
    """Return the name of the static file an URL points to, or None for any other URL."""
    static_url = urljoin(BASE_URL, settings.STATIC_URL)  # absolute STATIC_URL stays as it is
    if not url.startswith(static_url):
        return None
    name = unquote(url[len(static_url) :].split("#")[0].split("?")[0])  # drop ?v=1, #icon
    if not name or "\\" in name or "\x00" in name:
        return None
    if posixpath.normpath(name) != name or name.startswith(("/", "..")):
        return None  # no "..", "//" or "./" games: exactly one file under a static root
    return name


def read_static(name: str) -> bytes:
    """Return the bytes of a static file, from the app and project folders or collected files."""
    found = finders.find(name)
    if isinstance(found, str):
        with open(found, "rb") as file:
            return file.read()
    # With the manifest storage {% static %} names the hashed copy, found only in STATIC_ROOT.
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as file:
            return bytes(file.read())
    raise RefusedURL(f"no such static file: {name}")


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    page_size: str = "A4",
) -> bytes:
    """Render a template that extends base_print.html to PDF bytes."""
    return html_to_pdf(print_html(template_name, context, request=request, page_size=page_size))


def print_html(
    template_name: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    page_size: str = "A4",
) -> str:
    """Render a print template to the HTML that feeds the PDF (tests read the figures here)."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {', '.join(PAGE_SIZES)}, not {page_size!r}")
    width, height = PAGE_SIZES[page_size]
    user = getattr(request, "user", None)
    printed_by = (user.get_full_name() or user.username) if user and user.is_authenticated else ""
    context = {
        "page_size": page_size,
        "page_width": f"{width}mm",
        "page_height": f"{height}mm",
        "printed_at": timezone.now(),
        "printed_by": printed_by,
        **context,
    }
    facility = context.get("facility")
    # Times on paper are those of the facility that issues it (WIB, WITA or WIT).
    with timezone.override(facility.tzinfo if isinstance(facility, Facility) else None):
        return render_to_string(template_name, context, request=request)


def html_to_pdf(html: str) -> bytes:
    """Lay out print HTML as PDF bytes, fetching nothing but static files and data: URLs."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or another system library missing
        raise PdfUnavailable(
            f"WeasyPrint cannot be loaded ({error}); install it with its system libraries "
            "(Pango), see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
        ) from error
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def pdf_response(
    pdf: bytes,
    filename: str,
    *,
    user: Any,
    facility: Facility | int,
    target: Any = None,
    detail: str = "",
) -> HttpResponse:
    """Answer a PDF to open in the browser, and log the download."""
    audit.log_access(
        user=user,
        facility=facility,
        action="pdf.download",
        target=target,
        detail=detail or filename,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    # Case files are printed on shared office PCs: keep them out of the browser cache.
    response["Cache-Control"] = "private, no-store"
    return response
