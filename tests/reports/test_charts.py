"""The report charts: pure SVG strings, checked without a database or a PDF."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

import pytest

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"
DASH = "\u2013"
MONTHS = ["Nov 2025", "Des 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
MONTHS += ["Mei 2026", "Jun 2026", "Jul 2026", "Agu 2026", "Sep 2026", "Okt 2026"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{SVG}text")]


def draw(kind: str, points: list[tuple[str, float | None]], **kwargs: Any) -> str:
    chart = charts.line_chart if kind == "line" else charts.bar_chart
    return chart(points, title="Uji", width_mm=84, height_mm=48, **kwargs)


@pytest.mark.parametrize("kind", ["line", "bar"])
@pytest.mark.parametrize(
    "values",
    [
        [5.0],
        [0, 0, 0, 0, 0, 0],
        [None, None, None],
        [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7],
        [3, None, 12, 0, 4.5, None],
        [0.2, 0.4, 0.1],
        [1250, 980, 1430],
    ],
    ids=["one", "all-zero", "all-none", "all-equal", "mixed", "fractions", "thousands"],
)
def test_it_draws_valid_svg_for_any_run_of_values(kind: str, values: list[float | None]) -> None:
    svg = draw(kind, list(zip(MONTHS, values, strict=False)))
    root = parse(svg)
    assert root.get("width") == "84mm" and root.get("height") == "48mm"
    # Nothing outside the drawing: every coordinate is a finite number inside the viewBox.
    for element in root.iter():
        for name in ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height"):
            if element is not root and element.get(name) is not None:
                assert -1 <= float(element.get(name, "")) <= 84, (element.tag, name)
    assert "href" not in svg and "url(" not in svg and "<script" not in svg


def test_it_escapes_every_label() -> None:
    svg = charts.bar_chart(
        [("<script>alert(1)</script> 2026", 3)],
        title='<script>x</script> & "kutip"',
        width_mm=84,
        height_mm=48,
        compare=[2],
        legend=("<b>satu</b>", "dua & tiga"),
    )
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    # The parser gets the labels back as they were written.
    assert '<script>x</script> & "kutip"' in texts(svg)
    assert "<b>satu</b>" in texts(svg) and "dua & tiga" in texts(svg)


def test_a_missing_value_breaks_the_line_and_prints_a_dash() -> None:
    svg = draw("line", [("Jan 2026", 4), ("Feb 2026", 6), ("Mar 2026", None), ("Apr 2026", 5)])
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # Jan-Feb; Apr stands alone
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert DASH in texts(svg)


def test_it_prints_values_the_indonesian_way() -> None:
    labels = texts(draw("line", [("Jan 2026", 85.3), ("Feb 2026", 1250)]))
    assert "85,3" in labels and "1.250" in labels
    rates = texts(draw("line", [("Jan 2026", 90.0)], unit="%"))
    assert "90%" in rates and "100%" in rates  # the value and the top of the 0-100% axis


def test_the_year_shows_under_the_first_month_and_where_it_changes() -> None:
    labels = texts(draw("bar", [(m, 1) for m in MONTHS]))
    assert labels.count("2025") == 1 and labels.count("2026") == 1
    assert "Okt" in labels and "Des" in labels


def test_two_series_need_one_value_each() -> None:
    with pytest.raises(ValueError):
        draw("bar", [("Jan 2026", 1), ("Feb 2026", 2)], compare=[1])


def trend(months: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(months):
        year, month = divmod(10 - months + i, 12)
        rows.append({
            "year": 2026 + year, "month": month + 1, "screened": i, "assessed": i // 2,
            "active": 10 + i, "sessions_held": 2 * i, "released": i % 3,
            "attendance_rate": None if i == 0 else 80.5,
        })  # fmt: skip
    return rows


def test_a_monthly_report_gets_four_charts_from_its_trend() -> None:
    report = SimpleNamespace(kind="monthly", figures={"trend": trend(12)})
    drawn = charts.for_report(report)
    assert set(drawn) == {"screened_assessed", "active", "sessions", "attendance"}
    for svg in drawn.values():
        parse(svg)
    assert "12 bulan" in drawn["active"] and "6 bulan" in drawn["sessions"]
    assert texts(drawn["sessions"])[-1] == "22"  # the last month (the 12th): 2 x 11 sessions


@pytest.mark.parametrize("kind", ["quarterly", "yearly"])
def test_an_outcome_report_gets_a_trend_chart(kind: str) -> None:
    drawn = charts.for_report(SimpleNamespace(kind=kind, figures={"trend": trend(6)}))
    assert set(drawn) == {"active", "released"}


def test_a_report_without_a_trend_gets_no_charts() -> None:
    assert charts.for_report(SimpleNamespace(kind="monthly", figures={})) == {}
