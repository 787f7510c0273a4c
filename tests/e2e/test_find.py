"""Finding anyone fast in a real browser: the navbar search suggests as the user types."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, expect

from rehab.demo import DemoOrganisation
from tests.e2e.conftest import inmate_named, login


def suggestions(page: Page) -> Any:
    return page.locator("#nav-search-results")


def test_the_navbar_search_finds_a_wbp_by_part_of_the_name_within_three_keystrokes(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    login(page, live_server, "staf.grogot")
    box = page.get_by_role("searchbox", name="Cari WBP")
    box.click()
    # "tos", from the middle of "Santoso": three keystrokes, typed as a person types them.
    for key in "tos":
        box.press(key)
    budi = suggestions(page).get_by_role("link", name=re.compile("Budi Santoso"))
    expect(budi).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(suggestions(page)).not_to_contain_text("Dedi Kurniawan")

    # The arrow keys walk the suggestions; Enter opens the case file.
    box.press("ArrowDown")
    expect(budi).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/wbp/{inmate_named('Budi Santoso').pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budi Santoso")
    assert errors == []


def test_the_navbar_search_never_suggests_a_wbp_of_another_rutan_and_enter_lists_all(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    login(page, live_server, "staf.grogot")
    box = page.get_by_role("searchbox", name="Cari WBP")
    box.click()
    for key in "jok":  # Joko Susilo is a WBP of Banjarnegara
        box.press(key)
    expect(suggestions(page)).to_contain_text("Tidak ada WBP yang cocok")
    expect(suggestions(page)).not_to_contain_text("Joko")
    box.press("Escape")
    expect(suggestions(page)).to_be_hidden()

    box.fill("")
    for key in "BI.01":
        box.press(key)
    expect(suggestions(page).get_by_role("link", name=re.compile("Dedi Kurniawan"))).to_be_visible()
    box.press("Enter")  # no suggestion chosen: the WBP list, filtered
    expect(page.get_by_role("heading", level=1)).to_have_text("Warga Binaan (WBP)")
    expect(page.locator("#results")).to_contain_text("Budi Santoso")
    expect(page.locator("#results")).to_contain_text("Dedi Kurniawan")
    expect(page.locator("#results")).not_to_contain_text("Joko Susilo")
