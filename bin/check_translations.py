#!/usr/bin/env python3
"""Check the translation catalogues, as `make lint` does.

For every LOCALE_DIR/<lang>/LC_MESSAGES/<domain>.po (LOCALE_DIR is the first argument, or
locale/ beside bin/) it fails, listing what it found, when

* an entry other than the header is untranslated (an empty msgstr, or an empty plural form)
  or marked fuzzy, or
* the compiled <domain>.mo beside it is missing or does not hold what the .po says: the .po is
  compiled here in memory, as GNU msgfmt (Django's compilemessages) would compile it, and the
  two catalogues are compared as gettext reads them. Timestamps are not looked at, so a fresh
  clone passes as long as the committed .mo was compiled from the committed .po.

`make messages` fixes a stale or missing .mo. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import io
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

MO_MAGIC = 0x950412DE
CONTEXT_SEPARATOR = "\x04"


class PoSyntaxError(Exception):
    """The .po file cannot be read; the message names the line."""


@dataclass
class Entry:
    """One message of a .po file."""

    line: int
    context: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    # msgstr, or msgstr[0], msgstr[1], ... for a plural entry: index -> text.
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def is_header(self) -> bool:
        return self.context is None and self.msgid == ""

    @property
    def untranslated(self) -> bool:
        return not self.msgstr or any(text == "" for text in self.msgstr.values())

    def label(self) -> str:
        text = self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "..."
        if self.context is not None:
            return f"{text!r} (context {self.context!r})"
        return repr(text)


def _declared_charset(raw: bytes) -> str:
    """The charset named in the header's Content-Type, UTF-8 when there is none."""
    match = re.search(rb"charset=([A-Za-z0-9._-]+)", raw)
    if match:
        name = match.group(1).decode("ascii")
        if name.upper() != "CHARSET":  # the template's placeholder
            return name
    return "utf-8"


def _string(text: str, lineno: int) -> str:
    """One quoted PO string, its C escapes resolved."""
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise PoSyntaxError(f"line {lineno}: expected a quoted string, found {text!r}")
    try:
        # A PO string's escapes (\n, \t, \", \\, octal, hex) mean what they mean in Python.
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError) as exc:
        raise PoSyntaxError(f"line {lineno}: bad string {text!r}: {exc}") from None
    if not isinstance(value, str):
        raise PoSyntaxError(f"line {lineno}: bad string {text!r}")
    return value


def parse_po(path: Path) -> list[Entry]:
    """Read a .po file into its entries, the header included; obsolete (#~) entries are left out.

    Follows what msgfmt accepts: comments and flags, then msgctxt, msgid, msgid_plural and
    msgstr or msgstr[N], each a quoted string that may go on over following quoted lines.
    """
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode(_declared_charset(raw))
    except (LookupError, UnicodeDecodeError) as exc:
        raise PoSyntaxError(f"cannot decode: {exc}") from None

    entries: list[Entry] = []
    current: Entry | None = None
    pending_fuzzy = False
    # Which string a continuation line adds to: ("msgctxt"|"msgid"|"msgid_plural"|"msgstr", n).
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            if not current.msgstr:
                raise PoSyntaxError(f"line {current.line}: msgid without msgstr")
            entries.append(current)
        current = None
        target = None

    def append(value: str, lineno: int) -> None:
        if current is None or target is None:
            raise PoSyntaxError(f"line {lineno}: string outside an entry")
        kind, index = target
        if kind == "msgctxt":
            current.context = (current.context or "") + value
        elif kind == "msgid":
            current.msgid += value
        elif kind == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            current.msgstr[index] += value

    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            # A comment after a msgstr closes that entry; flags belong to the next one, unless
            # that is an obsolete (#~) entry, which is skipped with its flags.
            if current is not None and current.msgstr:
                finish()
            if stripped.startswith("#~"):
                pending_fuzzy = False
            elif stripped.startswith("#,") and "fuzzy" in {
                flag.strip() for flag in stripped[2:].split(",")
            }:
                pending_fuzzy = True
            continue

        keyword, _, rest = stripped.partition(" ")
        if stripped.startswith('"'):
            append(_string(stripped, lineno), lineno)
            continue
        if keyword == "msgctxt":
            finish()
            current = Entry(line=lineno, fuzzy=pending_fuzzy, context="")
            pending_fuzzy = False
            target = ("msgctxt", 0)
            append(_string(rest, lineno), lineno)
        elif keyword == "msgid":
            if current is None or current.msgstr or current.msgid or target != ("msgctxt", 0):
                finish()
                current = Entry(line=lineno, fuzzy=pending_fuzzy)
                pending_fuzzy = False
            target = ("msgid", 0)
            append(_string(rest, lineno), lineno)
        elif keyword == "msgid_plural":
            if current is None or target != ("msgid", 0):
                raise PoSyntaxError(f"line {lineno}: msgid_plural not after a msgid")
            target = ("msgid_plural", 0)
            current.msgid_plural = ""
            append(_string(rest, lineno), lineno)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            if current is None or target is None or target[0] == "msgctxt":
                raise PoSyntaxError(f"line {lineno}: msgstr without a msgid")
            if keyword == "msgstr":
                if current.msgid_plural is not None:
                    raise PoSyntaxError(f"line {lineno}: plural entry needs msgstr[N]")
                index = 0
            else:
                match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if not match:
                    raise PoSyntaxError(f"line {lineno}: bad keyword {keyword!r}")
                if current.msgid_plural is None:
                    raise PoSyntaxError(f"line {lineno}: msgstr[N] without msgid_plural")
                index = int(match.group(1))
            if index in current.msgstr:
                raise PoSyntaxError(f"line {lineno}: {keyword} given twice")
            current.msgstr[index] = ""
            target = ("msgstr", index)
            append(_string(rest, lineno), lineno)
        else:
            raise PoSyntaxError(f"line {lineno}: cannot read {stripped[:40]!r}")
    finish()

    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        key = (entry.context, entry.msgid)
        if key in seen:
            raise PoSyntaxError(
                f"line {entry.line}: duplicate of the entry on line {seen[key]}: {entry.label()}"
            )
        seen[key] = entry.line
    return entries


def compile_mo(entries: list[Entry]) -> bytes:
    """The .mo file GNU msgfmt would write for these entries (without a hash table).

    Like msgfmt: untranslated entries and fuzzy ones are left out, but the header is kept
    even when it is marked fuzzy, as makemessages leaves it.
    """
    charset = "utf-8"
    messages: dict[bytes, bytes] = {}
    for entry in entries:
        if entry.is_header:
            match = re.search(r"charset=([A-Za-z0-9._-]+)", entry.msgstr.get(0, ""))
            if match and match.group(1).upper() != "CHARSET":
                charset = match.group(1)
    for entry in entries:
        if entry.msgstr.get(0, "") == "" or (entry.fuzzy and not entry.is_header):
            continue
        msgid = entry.msgid
        if entry.context is not None:
            msgid = entry.context + CONTEXT_SEPARATOR + msgid
        if entry.msgid_plural is not None:
            msgid += "\0" + entry.msgid_plural
            count = max(entry.msgstr) + 1
            msgstr = "\0".join(entry.msgstr.get(i, "") for i in range(count))
        else:
            msgstr = entry.msgstr[0]
        messages[msgid.encode(charset)] = msgstr.encode(charset)

    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    count = len(keys)
    ids_start = 7 * 4 + 16 * count  # header, then the two tables of (length, offset) pairs
    strs_start = ids_start + len(ids)
    id_table: list[int] = []
    str_table: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        id_table += [id_length, ids_start + id_offset]
        str_table += [str_length, strs_start + str_offset]
    header = struct.pack("<7I", MO_MAGIC, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    tables = struct.pack(f"<{len(id_table)}I", *id_table)
    tables += struct.pack(f"<{len(str_table)}I", *str_table)
    return header + tables + ids + strs


def read_catalogue(data: bytes) -> dict[object, str]:
    """The catalogue gettext builds from .mo bytes, its header without POT-Creation-Date.

    GNU msgfmt leaves that field out of the .mo (for reproducible builds), other compilers
    keep it; it tells nothing about the translations, and makemessages changes it every run.
    """
    translations = gettext.GNUTranslations(io.BytesIO(data))
    catalogue: dict[object, str] = dict(vars(translations)["_catalog"])
    if "" in catalogue:
        catalogue[""] = "".join(
            line
            for line in catalogue[""].splitlines(keepends=True)
            if not line.startswith("POT-Creation-Date:")
        )
    return catalogue


def describe_difference(expected: dict[object, str], actual: dict[object, str]) -> str:
    missing = [key for key in expected if key not in actual]
    extra = [key for key in actual if key not in expected]
    changed = [key for key in expected if key in actual and expected[key] != actual[key]]
    parts = []
    for name, keys in (("not in the .mo", missing), ("only in the .mo", extra)):
        if keys:
            parts.append(f"{len(keys)} {name} (e.g. {keys[0]!r})")
    if changed:
        parts.append(f"{len(changed)} translated differently (e.g. {changed[0]!r})")
    return "; ".join(parts)


def check_catalogue(po_path: Path) -> list[str]:
    """The problems found with one .po file and its .mo, each a line of the report."""
    try:
        entries = parse_po(po_path)
    except PoSyntaxError as exc:
        return [f"{po_path}: cannot be read: {exc}"]
    problems = []
    for entry in entries:
        if entry.is_header:
            continue
        if entry.fuzzy:
            problems.append(f"{po_path}:{entry.line}: fuzzy: {entry.label()}")
        elif entry.untranslated:
            problems.append(f"{po_path}:{entry.line}: untranslated: {entry.label()}")

    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{mo_path}: missing; run `make messages`")
        return problems
    try:
        expected = read_catalogue(compile_mo(entries))
    except (OSError, ValueError, UnicodeError, struct.error) as exc:
        problems.append(f"{po_path}: does not compile: {exc}")
        return problems
    try:
        actual = read_catalogue(mo_path.read_bytes())
    except (OSError, ValueError, UnicodeError, struct.error) as exc:
        problems.append(f"{mo_path}: cannot be read: {exc}")
        return problems
    if expected != actual:
        difference = describe_difference(expected, actual)
        problems.append(
            f"{mo_path}: out of date with {po_path.name} ({difference}); run `make messages`"
        )
    return problems


def _shorter(path: Path) -> Path:
    """The path relative to the working directory when it is below it, for the report."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "locale_dir",
        nargs="?",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "locale",
        help="the directory holding <lang>/LC_MESSAGES/*.po (default: the project's locale/)",
    )
    args = parser.parse_args(argv)
    catalogues = [_shorter(path) for path in sorted(args.locale_dir.glob("*/LC_MESSAGES/*.po"))]
    if not catalogues:
        print(f"check_translations: no catalogues in {args.locale_dir}")
        return 0
    problems = [problem for po_path in catalogues for problem in check_catalogue(po_path)]
    if problems:
        print(f"check_translations: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"check_translations: {len(catalogues)} catalogue(s) complete and compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
