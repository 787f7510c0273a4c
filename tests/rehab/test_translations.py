"""The English catalogue: key strings translate, nothing is left untranslated, placeholders survive.

The source strings are Bahasa Indonesia (the default language); locale/en holds English.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext

from inmates.models import CustodyEvent, CustodyStatus, Inmate, ReleaseKind, validate_nik
from rehab.models import Role

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Python-format placeholders as they appear in the .po: %(name)s, %(n)d; blocktranslate's
# {{ counter }} is written there as %(counter)s too.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


@functools.cache
def _check_translations() -> ModuleType:
    """bin/check_translations.py, the script `make lint` runs, imported as a module."""
    path = BASE_DIR / "bin" / "check_translations.py"
    spec = importlib.util.spec_from_file_location("check_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up in sys.modules while the class is being built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_today_page_title_reads_today_in_english() -> None:
    with translation.override("en"):
        assert gettext("Hari ini") == "Today"


def test_indonesian_stays_the_source_language() -> None:
    with translation.override("id"):
        assert gettext("Hari ini") == "Hari ini"
        assert str(Inmate._meta.get_field("expiry_date").verbose_name) == "tanggal ekspirasi"


def test_sign_in_and_sign_out_are_translated() -> None:
    with translation.override("en"):
        assert gettext("Masuk") == "Sign in"
        assert gettext("Keluar") == "Sign out"


def test_model_verbose_names_translate_and_keep_lower_case() -> None:
    with translation.override("en"):
        assert str(Inmate._meta.get_field("expiry_date").verbose_name) == "sentence expiry date"
        assert str(Inmate._meta.get_field("release_date").verbose_name) == (
            "release date (after remission)"
        )
        assert str(CustodyEvent._meta.verbose_name) == "custody event"


def test_choices_translate_to_the_agreed_terms() -> None:
    with translation.override("en"):
        assert str(Role.WARDEN.label) == "Warden"
        assert str(Role.COUNSELOR.label) == "Addiction counsellor"
        assert str(Role.HEALTH.label) == "Health worker"
        assert str(ReleaseKind.PAROLE.label) == "Parole (PB)"
        assert str(ReleaseKind.LEAVE_BEFORE_RELEASE.label) == "Pre-release leave (CMB)"
        assert str(CustodyStatus.IN_CUSTODY.label) == "In custody"


def test_a_nik_format_error_is_explained_in_english() -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            validate_nik("12345")
        # The message is lazy: it is put into words when read, so read it in English.
        assert raised.value.messages == ["The NIK must be 16 digits."]


def test_the_inmate_count_uses_english_plural_forms() -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} WBP"
        "{% plural %}{{ counter }} WBP{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert template.render(Context({"n": 1})) == "1 inmate"
        assert template.render(Context({"n": 3})) == "3 inmates"
        assert ngettext("%(counter)s WBP", "%(counter)s WBP", 0) == "%(counter)s inmates"


def test_the_english_catalogue_is_complete_and_compiled() -> None:
    assert _check_translations().check_catalogue(PO_PATH) == []


def test_every_translation_keeps_the_placeholders_of_its_source() -> None:
    entries = _check_translations().parse_po(PO_PATH)
    wrong = []
    for entry in entries:
        if entry.is_header:
            continue
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for index, text in entry.msgstr.items():
            expected = sorted(set(PLACEHOLDER.findall(sources[min(index, 1)])))
            if sorted(set(PLACEHOLDER.findall(text))) != expected:
                wrong.append((entry.msgid, text))
    assert wrong == []
