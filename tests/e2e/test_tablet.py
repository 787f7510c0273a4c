"""On a tablet (768 x 1024) and a small laptop (1366 x 768): the main pages of each demo role
fit the screen. A script checks that the page does not scroll sideways and that no visible
element reaches past the right edge; each page looks as its stored baseline does
(tests/e2e/baseline.py); the menu collapses behind its button below 992 px and the
button opens it under the Content-Security-Policy; the user menu opens inside the screen.
Every page is saved to /tmp/rehab-e2e/tablet/ to look at.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from programs.models import Enrolment, Session
from rehab import audit
from rehab.demo import DemoOrganisation
from tests.e2e import baseline
from tests.e2e.conftest import SCREENSHOTS, inmate_named, login, sign_out
from tests.factories import CohortFactory, ScreeningFactory, UrineTestFactory, signed_assessment

# Other browser runs empty SCREENSHOTS when they start: REHAB_TABLET_SHOTS keeps a copy apart.
SHOTS = Path(os.environ.get("REHAB_TABLET_SHOTS", "") or Path(SCREENSHOTS) / "tablet")
VIEWPORTS = {"tablet": (768, 1024), "laptop": (1366, 768)}

# What reaches past the right edge of the window: the page itself, then every element that is
# drawn (not display:none, not visibility:hidden, not of zero size), named by tag, id and class.
OVERFLOW = """
() => {
  const width = window.innerWidth;
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > width) found.push(`page scrolls sideways: ${root.scrollWidth} > ${width}`);
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    if (box.right > width + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string"
           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      found.push(`${name} right=${Math.round(box.right)} > ${width}`);
    }
  }
  return found;
}
"""

# Every drawn select whose box is too narrow for one of its answers (measured in its own font,
# inside its padding, which holds the arrow): a chosen answer would show cut.
CUT_SELECTS = """
() => {
  const pen = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const select of document.querySelectorAll("select")) {
    const box = select.getBoundingClientRect();
    const style = getComputedStyle(select);
    if (!box.width || style.visibility === "hidden" || style.display === "none") continue;
    pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    for (const option of select.options) {
      const need = pen.measureText(option.text).width;
      if (need > room + 1) {
        const text = `"${option.text}" needs ${Math.ceil(need)}px of ${Math.floor(room)}`;
        cut.push(`select ${select.name}: ${text}`);
        break;
      }
    }
  }
  return cut;
}
"""


def _answer_some(page: Page) -> None:
    """Say yes to two substances and to injecting: every kind of answer box shows."""
    for substance in ("alcohol", "amphetamines"):
        page.select_option(f"#id_{substance}_q1", "yes")
        page.select_option(f"#id_{substance}_q2", "weekly")
    page.select_option("#id_injection", "past_3_months")
    expect(page.locator("#id_amphetamines_q7")).to_be_visible()
    expect(page.locator("#id_injection_pattern")).to_be_visible()


def _pages(demo: DemoOrganisation) -> dict[str, list[tuple[str, str]]]:
    """Each demo role's main pages, with a few rows of their own on them."""
    grogot = demo.site("tanah-grogot").facility
    budi, dedi = inmate_named("Budi Santoso"), inmate_named("Dedi Kurniawan")
    counselor = demo.users["konselor.grogot"]
    cohort = CohortFactory(facility=grogot, name="Angkatan Ringan November")
    enrolments = [
        Enrolment.objects.create(
            facility=grogot,
            inmate=inmate,
            track=cohort.track,
            cohort=cohort,
            assessment=signed_assessment(inmate, final_tier="ringan"),
            state="active",
        )
        for inmate in (budi, dedi)
    ]
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    session = Session.objects.create(
        facility=grogot, cohort=cohort, kind="group", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), created_by=demo.users["staf.grogot"],
    )  # fmt: skip
    screening = ScreeningFactory(inmate=budi)
    test = UrineTestFactory(inmate=budi)
    audit.log_access(user=counselor, facility=grogot, action="urine_test.read", target=test)
    audit.log_access(user=counselor, facility=grogot, action="notes.read", target=enrolments[0])
    case_file = budi.get_absolute_url()
    common = [("hari-ini", "/"), ("daftar-wbp", "/wbp/"), ("berkas-wbp", case_file)]
    assist = reverse("assessments:screening_create", args=[budi.pk])
    return {
        "staf.grogot": [
            *common,
            ("wbp-baru", reverse("inmates:create")),
            ("skrining-assist", assist),
            ("hasil-skrining", screening.get_absolute_url()),
            ("angkatan", reverse("programs:cohort_list")),
            ("angkatan-detail", cohort.get_absolute_url()),
            ("peserta", reverse("programs:enrolment_list")),
            ("pelatihan", reverse("programs:course_list")),
            ("pembebasan", reverse("programs:release_list")),
            ("laporan", reverse("reports:archive")),
        ],
        "konselor.grogot": [
            *common,
            ("skrining-assist", assist),
            ("tes-urine-baru", reverse("assessments:urine_create", args=[budi.pk])),
            ("sesi", session.get_absolute_url()),
            ("peserta-detail", reverse("programs:enrolment_detail", args=[enrolments[0].pk])),
            ("pascarehabilitasi", reverse("programs:aftercare_list")),
        ],
        "nakes.grogot": [
            *common,
            ("tes-urine-baru", reverse("assessments:urine_create", args=[budi.pk])),
            ("kesehatan-baru", reverse("assessments:health_create", args=[budi.pk])),
            ("hasil-tes-urine", test.get_absolute_url()),
        ],
        "karutan.grogot": [
            *common,
            ("persetujuan", reverse("programs:approvals")),
            ("laporan", reverse("reports:archive")),
            ("log-akses", reverse("accesslog:list")),
        ],
        "supervisor.kaltim": [
            *common,
            ("laporan", reverse("reports:archive")),
            ("rekap-wilayah", reverse("reports:rollup")),
            ("log-akses", reverse("accesslog:list")),
        ],
    }


def _check(page: Page, label: str, problems: dict[str, list[str]]) -> None:
    shot = SHOTS / f"{label}.png"
    page.screenshot(path=str(shot), full_page=True)
    found = page.evaluate(OVERFLOW) + page.evaluate(CUT_SELECTS)
    changed = baseline.compare(shot, "tablet", label, SHOTS / "diff")
    if changed:
        found.append(changed)
    if found:
        problems[label] = found[:8]


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_the_main_pages_of_every_role_fit_the_screen(
    page: Page, live_server: Any, demo: DemoOrganisation, screen: str, csp_violations: list[str]
) -> None:
    width, height = VIEWPORTS[screen]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    problems: dict[str, list[str]] = {}
    checked = 0
    for username, paths in _pages(demo).items():
        login(page, live_server, username)
        for name, path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (username, path)
            page.wait_for_load_state("load")
            if name == "skrining-assist":
                _answer_some(page)
            _check(page, f"{width}x{height}-{username}-{name}", problems)
            checked += 1
        page.goto(f"{live_server.url}/")
        _menus(page, f"{width}x{height}-{username}", width, problems)
        sign_out(page)
    (SHOTS / f"overflow-{width}.json").write_text(json.dumps(problems, indent=1))
    assert problems == {}, f"{len(problems)} of {checked} pages overflow at {width}px"
    assert checked == 38
    assert csp_violations == []


def _menus(page: Page, label: str, width: int, problems: dict[str, list[str]]) -> None:
    """The menu behind its button below 992 px, and the user menu inside the screen."""
    menu = page.locator("#nav")
    toggler = page.locator(".navbar-toggler")
    if width < 992:
        expect(toggler).to_be_visible()
        expect(menu).to_be_hidden()
        toggler.click()
        expect(menu).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding
        expect(menu).not_to_have_class(re.compile(r"collapsing"))
        expect(menu.get_by_role("link", name="Hari ini")).to_be_visible()
    else:
        expect(toggler).to_be_hidden()
        expect(menu).to_be_visible()
    user_menu = page.locator("#nav .dropdown-menu").last
    page.locator("#nav .dropdown-toggle").last.click()
    expect(user_menu).to_be_visible()
    _check(page, f"{label}-menu", problems)
    box = user_menu.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
