"""The Content-Security-Policy and Cache-Control on every page of the route table, for each role.

Every response carries a CSP whose script-src allows nothing inline and no eval. Every HTML page
holds no inline script without that response's nonce, no on*= handler, no javascript: URL, and
(style-src is 'self' alone) no style attribute or <style> element. Every signed-in response and
every file with personal data says Cache-Control: no-store.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import UserFactory
from tests.routes import POST_ONLY, ROUTES, WRITE_ROUTES, route_url

TEMPLATES = Path(settings.BASE_DIR) / "templates"


class _Page(HTMLParser):
    """Collect what the policy forbids in one HTML page."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self._inline_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (event-handler attribute)")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}> (inline style)")
            if (
                name in {"href", "src", "action", "formaction"}
                and (value or "").strip().lower()[:11] == "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}> (javascript: URL)")
        if tag == "style":
            self.problems.append("<style> element (inline style)")
        if tag == "script" and found.get("src") is None and found.get("nonce") != self.nonce:
            self._inline_script = found.get("nonce") or "(none)"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline_script is not None:
            self.problems.append(f"inline <script> with nonce {self._inline_script}")
            self._inline_script = None


def policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response}"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def check(response: HttpResponse, *, signed_in: bool = True) -> list[str]:
    """Return what is wrong with one response (empty: nothing)."""
    directives = policy(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in directives["style-src"]
    content_type = response.get("Content-Type", "")
    if signed_in or not content_type.startswith("text/html"):
        assert "no-store" in response.get("Cache-Control", ""), content_type
    if not content_type.startswith("text/html"):
        return []
    nonces = [v[7:-1] for v in script_src if v.startswith("'nonce-")]
    page = _Page(nonces[0] if nonces else None)
    page.feed(response.content.decode())
    page.close()
    return page.problems


def _walk(client: Client, objects: dict[str, Any], which: str = "own") -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    # Signing out last: every page before it is seen signed in.
    for name, (kind, _) in sorted(ROUTES.items(), key=lambda item: (item[0] == "logout", item)):
        url = route_url(name, kind, objects, which)
        methods = ["post"] if name in POST_ONLY else ["get"]
        if name in WRITE_ROUTES and name not in POST_ONLY:
            methods.append("post")  # the form again, with its error messages
        for method in methods:
            found = check(getattr(client, method)(url), signed_in=name != "logout")
            if found:
                problems[f"{method.upper()} {url}"] = found
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_route_table_keeps_the_policy_for_each_role(
    client: Client, members: dict[str, Any], route_objects: dict[str, Any], role: str
) -> None:
    client.force_login(members[role])
    assert _walk(client, route_objects) == {}


def test_the_not_found_pages_keep_the_policy(
    client: Client, members: dict[str, Any], route_objects: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    assert _walk(client, route_objects, which="other") == {}


def test_the_pages_of_a_visitor_keep_the_policy(client: Client, db: Any) -> None:
    for url in [reverse("login"), reverse("today"), "/tidak-ada/"]:
        response = client.get(url)
        assert check(response, signed_in=False) == []
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 200
    assert check(response, signed_in=False) == []


def test_the_second_step_pages_keep_the_policy(
    client: Client, members: dict[str, Any], settings: Any
) -> None:
    settings.REHAB_REQUIRE_MFA = True
    client.post(reverse("login"), {"username": members["warden"].username, "password": "x"})
    client.force_login(members["warden"])
    for url in [reverse("mfa_enrol"), reverse("today"), reverse("mfa_verify")]:
        response = client.get(url)
        assert check(response) == [], url
    response = client.post(reverse("mfa_enrol"), {"code": "000000"})
    assert response.status_code == 200
    assert check(response) == []


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/rehab/membership/",
        "/admin/rehab/membership/add/",
        "/admin/auth/user/add/",
        "/admin/django_celery_beat/periodictask/add/",
    ],
)
def test_the_admin_site_keeps_the_policy(client: Client, db: Any, url: str) -> None:
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert check(response) == []


def test_the_nonce_is_new_for_every_response(client: Client, members: dict[str, Any]) -> None:
    client.force_login(members["staff"])
    first, second = (policy(client.get(reverse("today")))["script-src"] for _ in range(2))
    assert first != second
    assert any(value.startswith("'nonce-") for value in first)


def test_a_signed_in_page_is_not_stored_and_a_static_file_may_be(
    client: Client, members: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    assert "no-store" in client.get(reverse("inmates:list"))["Cache-Control"]
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


def test_personal_data_files_are_not_stored(
    client: Client, members: dict[str, Any], route_objects: dict[str, Any]
) -> None:
    client.force_login(members["warden"])
    pdf = client.get(route_url("reports:download", "report", route_objects))
    assert pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]
    # Chrome's PDF viewer is an <embed> under object-src: 'none' would show a blank page.
    assert policy(pdf)["object-src"] == ["'self'"]


# The templates themselves, including those no route above reaches (500.html). The PDF templates
# are laid out by WeasyPrint, never shown by a browser: their <style> is no CSP matter.
HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*\snonce=)[^>]*>", re.IGNORECASE)
STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=|<style", re.IGNORECASE)


def _is_pdf(path: Path) -> bool:
    return "pdf" in path.name or path.name == "base_print.html"


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_a_handler_an_inline_script_or_an_inline_style(path: Path) -> None:
    text = path.read_text()
    assert not HANDLER.findall(text)
    assert not INLINE_SCRIPT.findall(text)
    if not _is_pdf(path):
        assert not STYLE.findall(text)
