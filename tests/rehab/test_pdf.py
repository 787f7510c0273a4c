"""PDFs: the ASSIST sheet as a download, who may get it, the log, paper sizes, and a URL fetcher
that serves static files and nothing else."""

from __future__ import annotations

import datetime
import logging
import re
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from assessments import services
from rehab import pdf
from rehab.models import AccessLog
from tests.factories import InmateFactory

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)  # 11:00 WITA in Tanah Grogot
MM = 72 / 25.4  # PDF points per millimetre


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def screening(facility_a: Any, members: dict[str, Any]) -> Any:
    """A moderate sabu user who smokes daily, interviewed by the staff member of facility A."""
    inmate = InmateFactory(facility=facility_a, full_name="Rudi Hartono")
    answers = {
        "amphetamines": {"q1": "yes", "q2": "weekly", "q3": "weekly", "q4": "once_or_twice",
                         "q5": "never", "q6": "past_3_months", "q7": "no"},
        "tobacco": {"q1": "yes", "q2": "daily", "q3": "daily", "q4": "never",
                    "q6": "past_3_months", "q7": "past_3_months"},
    }  # fmt: skip
    return services.screening_record(
        inmate=inmate, by=members["staff"], interviewed_on=datetime.date(2026, 11, 2),
        reference_period="before_detention", answers=answers, injection="no",
    )  # fmt: skip


def sheet_url(screening: Any, size: str = "") -> str:
    url = reverse("assessments:screening_pdf", args=[screening.pk])
    return f"{url}?size={size}" if size else url


def inflated(document: bytes) -> bytes:
    """Return the PDF with every compressed stream appended inflated, so it can be searched."""
    chunks = [document]
    for match in re.finditer(rb"(?<!end)stream\r?\n", document):
        try:
            chunks.append(zlib.decompressobj().decompress(document[match.end() :]))
        except zlib.error:
            continue  # not a Flate stream
    return b"\n".join(chunks)


def page_sizes_mm(document: bytes) -> list[tuple[float, float]]:
    """Return (width, height) in millimetres of each page's MediaBox."""
    number = rb"(-?[\d.]+)"
    boxes = re.findall(rb"/MediaBox\s*\[\s*" + rb"\s+".join([number] * 4) + rb"\s*\]",
                       inflated(document))  # fmt: skip
    return [
        (round((float(x1) - float(x0)) / MM, 1), round((float(y1) - float(y0)) / MM, 1))
        for x0, y0, x1, y1 in boxes
    ]


def test_staff_of_the_facility_download_the_sheet_as_a_pdf(
    client: Client, members: dict[str, Any], screening: Any
) -> None:
    client.force_login(members["staff"])
    response = client.get(sheet_url(screening))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'inline; filename="skrining-assist-{screening.pk}-20261102.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


def test_the_sheet_shows_the_scores_bands_and_the_interviewer_in_the_facility_time_zone(
    client: Client, members: dict[str, Any], screening: Any, fed_html: list[str]
) -> None:
    staff = members["staff"]
    client.force_login(staff)
    client.get(sheet_url(screening))
    [html] = fed_html
    assert "Rudi Hartono" in html
    assert "Rutan Kelas IIB Tanah Grogot (uji)" in html  # the letterhead
    main = re.search(r"<th>Zat utama</th><td>(.*?)</td>", html, re.S)
    assert main is not None and "Stimulan jenis amfetamin" in main[1] and "Risiko sedang" in main[1]
    scores = html[html.index('<table class="data">') :]  # the score table, row by row
    sabu = re.search(r"<tr[^>]*>\s*<td>Stimulan jenis amfetamin.*?</tr>", scores, re.S)
    assert sabu is not None
    assert '<td class="num">19</td>' in sabu[0]
    assert "Risiko sedang" in sabu[0]
    assert "zat utama" in sabu[0]
    tobacco = re.search(r"<tr[^>]*>\s*<td>Tembakau.*?</tr>", scores, re.S)
    assert tobacco is not None
    assert '<td class="num">24</td>' in tobacco[0]
    assert html.count(staff.get_full_name()) == 3  # interviewer, signature, printed by
    assert "pada 23 November 2026 11.00 WITA" in html
    assert "bootstrap" not in html


def test_a_member_of_another_facility_gets_404(
    client: Client, stranger: Any, screening: Any
) -> None:
    client.force_login(stranger)
    assert client.get(sheet_url(screening)).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_supervisor_gets_403_because_the_sheet_is_not_theirs_to_read(
    client: Client, members: dict[str, Any], screening: Any
) -> None:
    client.force_login(members["supervisor"])
    assert client.get(sheet_url(screening)).status_code == 403
    assert not AccessLog.objects.exists()


def test_every_download_writes_an_access_log_row(
    client: Client, members: dict[str, Any], screening: Any
) -> None:
    client.force_login(members["counselor"])
    client.get(sheet_url(screening))
    client.get(sheet_url(screening, "F4"))
    rows = list(AccessLog.objects.order_by("id"))
    assert [(r.action, r.user, r.facility_id) for r in rows] == [
        ("pdf.download", members["counselor"], screening.facility_id)
    ] * 2
    assert {(r.target_type, r.target_id) for r in rows} == {
        ("assessments.assistscreening", screening.pk)
    }
    assert rows[0].detail == f"skrining-assist-{screening.pk}-20261102.pdf"


def test_f4_paper_is_215_by_330_mm_and_a4_is_210_by_297(
    client: Client, members: dict[str, Any], screening: Any
) -> None:
    client.force_login(members["staff"])
    f4 = client.get(sheet_url(screening, "F4")).content
    a4 = client.get(sheet_url(screening, "A4")).content
    assert page_sizes_mm(f4) == [(215.0, 330.0)]  # 609.4 x 935.4 pt
    assert page_sizes_mm(a4) == [(210.0, 297.0)]  # 595.3 x 841.9 pt


def test_without_a_size_the_facility_s_paper_is_used_f4_unless_it_chose_a4(
    client: Client, members: dict[str, Any], screening: Any
) -> None:
    client.force_login(members["staff"])
    assert page_sizes_mm(client.get(sheet_url(screening)).content) == [(215.0, 330.0)]
    screening.facility.paper_size = "A4"
    screening.facility.save(update_fields=["paper_size"])
    assert page_sizes_mm(client.get(sheet_url(screening)).content) == [(210.0, 297.0)]
    assert page_sizes_mm(client.get(sheet_url(screening, "f4")).content) == [(215.0, 330.0)]


def test_an_unknown_paper_size_in_the_url_falls_back_to_the_facility_s(
    client: Client, members: dict[str, Any], screening: Any
) -> None:
    client.force_login(members["staff"])
    assert page_sizes_mm(client.get(sheet_url(screening, "letter")).content) == [(215.0, 330.0)]


def test_render_pdf_refuses_a_paper_size_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="A4, F4"):
        pdf.render_pdf("base_print.html", {}, page_size="Letter")


def test_the_print_stylesheet_loads_and_nothing_else_is_asked_for(
    client: Client, members: dict[str, Any], screening: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(members["staff"])
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        client.get(sheet_url(screening))
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []


def test_the_fetcher_serves_static_files_named_by_the_static_tag() -> None:
    url = urljoin(pdf.BASE_URL, static("css/print.css"))
    response = pdf.StaticFilesFetcher()(url)
    assert response.content_type == "text/css"
    assert response.read() == (Path(settings.BASE_DIR) / "static/css/print.css").read_bytes()


def test_the_fetcher_serves_data_urls_for_inline_images() -> None:
    response = pdf.StaticFilesFetcher()("data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E")
    assert response.read() == b"<svg/>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/static/css/print.css",
        "ftp://example.com/x.png",
        urljoin(pdf.BASE_URL, "/etc/passwd"),
        urljoin(pdf.BASE_URL, "/static/../rehab/settings.py"),
        pdf.BASE_URL + "static/%2e%2e/rehab/settings.py",
        pdf.BASE_URL + "static//etc/passwd",
        pdf.BASE_URL + "static/css/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_the_projects_static_files(url: str) -> None:
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher()(url)


LEAKY_HTML = """<html><body><p>Lembar uji</p>
<img src="file://{path}"><link rel="attachment" href="file://{path}">
<img src="http://example.com/x.png"><link rel="stylesheet" href="file://{path}">
</body></html>"""


def test_a_pdf_with_links_to_local_files_renders_without_them() -> None:
    document = pdf.html_to_pdf(LEAKY_HTML.format(path="/etc/passwd"))
    assert document.startswith(b"%PDF")
    assert b"root:" not in inflated(document)
    assert b"/EmbeddedFile" not in inflated(document)


def test_weasyprints_own_fetcher_would_have_embedded_the_file(tmp_path: Path) -> None:
    """The control for the test above: the check does see a leak when there is one."""
    import weasyprint

    secret = tmp_path / "rahasia.txt"
    secret.write_text("NIK 6401010101010001")
    html = LEAKY_HTML.format(path=secret)
    assert b"NIK 6401010101010001" in inflated(weasyprint.HTML(string=html).write_pdf())
    assert b"NIK 6401010101010001" not in inflated(pdf.html_to_pdf(html))
