"""Measure the bytes on the wire of each demo role's first page: the today page after signing in,
with every stylesheet and script it links, as a browser with an empty cache fetches them
(Accept-Encoding: gzip, br). The target of the national-scale issue is 150 KB per role.

Run against a running `make run` (the demo data, STATIC_MANIFEST=true):

    .venv/bin/python bench/page_weight.py [http://127.0.0.1:8000]

A measurement, not a test: nothing here fails the build. Standard library only.
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

PASSWORD = "demo-rehab-2026"
ROLES = ["staf.grogot", "konselor.grogot", "nakes.grogot", "karutan.grogot", "supervisor.kaltim"]
ASSETS = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
TARGET_KB = 150


class Wire:
    """A cookie-keeping client that records the compressed size of everything it fetches."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("Accept-Encoding", "gzip, br")]

    def fetch(self, path: str, data: dict[str, str] | None = None) -> tuple[bytes, int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(urllib.parse.urljoin(self.base, path), data=body)
        if data is not None:
            request.add_header("Referer", urllib.parse.urljoin(self.base, path))
        with self.opener.open(request) as response:
            raw = response.read()
            return raw, len(raw), response.headers.get("Content-Encoding", "identity")

    def csrf(self) -> str:
        return next(c.value or "" for c in self.jar if c.name == "csrftoken")


def first_page(base: str, username: str) -> list[tuple[str, int, str]]:
    wire = Wire(base)
    wire.fetch("/akun/masuk/")
    wire.fetch(
        "/akun/masuk/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": wire.csrf()},
    )
    wire.opener.addheaders = [("Accept-Encoding", "identity")]
    plain, _, _ = wire.fetch("/")
    wire.opener.addheaders = [("Accept-Encoding", "gzip, br")]
    _, size, encoding = wire.fetch("/")
    rows = [("/ (today)", size, encoding)]
    for asset in dict.fromkeys(ASSETS.findall(plain.decode())):
        _, size, encoding = wire.fetch(asset)
        rows.append((asset, size, encoding))
    return rows


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    print(f"first page of each role at {base}, bytes on the wire (target {TARGET_KB} KB)\n")
    for username in ROLES:
        rows = first_page(base, username)
        total = sum(size for _, size, _ in rows)
        print(
            f"{username:20} {total / 1024:7.1f} KB  {'ok' if total <= TARGET_KB * 1024 else 'OVER'}"
        )
        for path, size, encoding in rows:
            print(f"    {size / 1024:7.1f} KB  {encoding:8}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
