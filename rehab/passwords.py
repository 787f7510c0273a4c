"""Password rules Django does not ship: Indonesian common words, one repeated character, the
printed demo password. Listed in AUTH_PASSWORD_VALIDATORS after Django's own."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rehab.demo import DEMO_PASSWORD

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords_id.txt"
# "Indonesia2026!", "rahasia_123": the word with a year or a few symbols stuck on.
_TRAILING = re.compile(r"[\d\W_]+$")


@functools.cache
def _common_words(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class IndonesianCommonPasswordValidator:
    """Refuse an Indonesian word or password that people pick first, with or without digits."""

    def __init__(self, path: Path | str = COMMON_PASSWORDS_FILE) -> None:
        self.words = _common_words(Path(path))

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.strip().lower()
        if lowered in self.words or _TRAILING.sub("", lowered) in self.words:
            raise ValidationError(
                _("Kata sandi ini terlalu umum: kata atau sandi yang mudah ditebak orang."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Jangan memakai kata yang umum seperti “rahasia” atau “merdeka”.")


class RepeatedCharacterValidator:
    """Refuse a password that is one character typed over and over ("aaaaaaaaaaaa")."""

    def validate(self, password: str, user: Any = None) -> None:
        if password and len(set(password)) == 1:
            raise ValidationError(
                _("Kata sandi tidak boleh hanya satu karakter yang diulang-ulang."),
                code="password_repeated_character",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh hanya satu karakter yang diulang-ulang.")


class DemoPasswordValidator:
    """Refuse the demo password (it is printed on screen) everywhere but the demo."""

    def validate(self, password: str, user: Any = None) -> None:
        if not settings.REHAB_DEMO and password.strip().lower() == DEMO_PASSWORD:
            raise ValidationError(
                _("Kata sandi demo tidak boleh dipakai di luar demo."),
                code="password_is_demo",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi demo tidak boleh dipakai.")
