"""Browser tests: Debian's Chromium drives the app served by pytest-django's live_server.

Without Chromium the tests are skipped with the reason, unless REHAB_REQUIRE_BROWSER=1 (CI),
which turns the missing browser into an error so browser tests can never silently skip.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from inmates.models import Inmate
from rehab.demo import DEMO_PASSWORD, DemoOrganisation, seed_organisation
from tests.factories import InmateFactory

# Playwright's sync API keeps an event loop running in the test thread; without this, the ORM
# calls the tests make themselves raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = "Chromium not found: install Debian's chromium package to run browser tests"
TIMEOUT_MS = 10_000
SCREENSHOTS = "/tmp/rehab-e2e"

expect.set_options(timeout=TIMEOUT_MS)


def find_chromium() -> str | None:
    """Return the path of the system Chromium, or None when it is not installed."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get("REHAB_REQUIRE_BROWSER", "") == "1"


def pytest_configure(config: pytest.Config) -> None:
    # Keep a screenshot of every open page of a failed test, out of the source tree.
    if config.getoption("--screenshot", "off") == "off":
        config.option.screenshot = "only-on-failure"
    if config.getoption("--output", None) == "test-results":
        config.option.output = SCREENSHOTS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as e2e; skip them all when there is no browser."""
    skip = None if find_chromium() or browser_required() else pytest.mark.skip(reason=MISSING)
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)
            if skip:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    """Return the Chromium to launch; fail loudly when CI requires it and it is missing."""
    path = find_chromium()
    if path is None:
        pytest.fail(f"{MISSING} (REHAB_REQUIRE_BROWSER=1)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium: str
) -> dict[str, Any]:
    """Launch the system Chromium headless (Playwright's own download needs the internet)."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Let pages open app paths: page.goto("/wbp/")."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Browse as staff in Kalimantan do: in Bahasa Indonesia, on WITA."""
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Makassar"}


# Reports every Content-Security-Policy violation of the page to the test, from before the
# page's first byte is parsed (init scripts and bindings are not subject to the page's CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__rehabCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${document.URL}`
    + ` (${event.sourceFile}:${event.lineNumber})`);
});
"""


@pytest.fixture
def csp_violations() -> Iterator[list[str]]:
    """The CSP violations of every page the test opened; the test fails on any."""
    found: list[str] = []
    yield found
    assert found == [], "Content-Security-Policy violations in the browser"


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], csp_violations: list[str]
) -> Callable[..., BrowserContext]:
    """Give every browser context, the page fixture's too, a 10-second default timeout, and
    record every CSP violation in it (csp_violations)."""

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.expose_function("__rehabCspViolation", lambda text: csp_violations.append(text))
        context.add_init_script(CSP_LISTENER)
        context.on("console", lambda message: _console(message.text, csp_violations))
        return context

    return make


def _console(text: str, found: list[str]) -> None:
    if "Content Security Policy" in text:
        found.append(f"console: {text}")


@pytest.fixture
def demo(live_server: Any, _fast_password_hashing: None) -> DemoOrganisation:
    """The demo facilities and accounts (password demo-rehab-2026) and a few WBP in each Rutan."""
    org = seed_organisation()
    grogot = org.site("tanah-grogot").facility
    InmateFactory(
        facility=grogot, full_name="Budi Santoso", registration_number="BI.0101/2026", block="A"
    )
    InmateFactory(
        facility=grogot, full_name="Dedi Kurniawan", registration_number="BI.0102/2026", block="C"
    )
    InmateFactory(
        facility=org.site("banjarnegara").facility,
        full_name="Joko Susilo",
        registration_number="BI.0101/2026",
    )
    return org


def login(page: Page, live_server: Any, username: str) -> Page:
    """Sign in through the login form with a demo account, and wait until the page it lands on
    has loaded what it loads late (the bell's badge): a test that goes on at once would cut
    that request off halfway, and the test server answers the next one on that connection
    with a 400 now and then."""
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))
    page.wait_for_load_state("networkidle")
    return page


def inmate_named(full_name: str) -> Inmate:
    """Load a WBP record straight from the test database."""
    return Inmate.objects.get(full_name=full_name)


def sign_out(page: Page) -> None:
    """Forget the signed-in user: leave the page first, so that none of its requests still on
    the way (the bell's badge loads after the page) sets the old session's cookie again."""
    page.goto("about:blank")
    page.context.clear_cookies()
