"""Sign-in and password forms laid out with crispy-forms, the bound every text field gets, and
the version every edit form of a shared record carries (VersionedForm)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rehab import versions
from rehab.formats import short_date, zoned
from rehab.models import NotificationKind


def bounded_text(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Give the form field of a TextField a max_length: short for reasons and addresses."""
    if isinstance(db_field, models.TextField) and "max_length" not in kwargs:
        short = db_field.name.endswith(("reason", "address"))
        kwargs["max_length"] = settings.TEXT_MAX_SHORT if short else settings.TEXT_MAX_LONG
    return db_field.formfield(**kwargs)


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Masuk"), css_class="w-100"))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Simpan kata sandi baru")))


STALE_FORM = _(
    "Formulir ini tidak membawa versi data yang dibuka. Muat ulang halaman, lalu isi lagi."
)


@dataclass
class Conflict:
    """What a refused stale save shows: who saved in between, when, and what is stored now."""

    message: str
    saved: list[tuple[str, str]]


class DatalistInput(forms.TextInput):
    """A text input that suggests values (a datalist: the facility's rooms, say) and still takes
    any text. The options are read when the field is drawn, so a form that only validates pays
    no query for them."""

    def __init__(
        self, options: Callable[[], Iterable[tuple[str, str]]], attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.options = options

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or f'id_{name}'}-list"
        attrs["list"] = list_id
        html = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', self.options())
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


class VersionedForm(forms.BaseForm):
    """The edit form of a record two people may edit: a required hidden `version`, the version
    of the record the form was opened at, for the service's compare-and-set (rehab.versions).

    Put it first among the bases. A form with a crispy Layout names "version" in it when the
    field is there (`*self.version_slot()`); a new record has no version unless
    `version_on_create` (a record the first save creates, like a release plan).
    """

    version_on_create = False
    conflict: Conflict | None = None

    def __init__(self, *args: Any, record: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A ModelForm edits its instance; a plain form names the record it edits.
        self.record: models.Model = record if record is not None else self.instance  # type: ignore[attr-defined]
        if self.record.pk or self.version_on_create:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                initial=versions.version_of(self.record),
                error_messages={"required": STALE_FORM, "invalid": STALE_FORM},
            )

    def version_slot(self) -> list[str]:
        """Return ["version"] for a crispy Layout when the form carries it."""
        return ["version"] if "version" in self.fields else []

    @property
    def expected_version(self) -> int:
        """Return the version the form was opened at (after is_valid)."""
        return int(self.cleaned_data["version"])

    def is_stale(self) -> bool:
        """Tell whether the record was saved since the form was opened (a hint, not the lock)."""
        return self.expected_version != versions.version_of(self.record)

    def mark_conflict(self, current: models.Model, *, extra: dict[str, str] | None = None) -> None:
        """Refuse a save over a newer one: keep what was typed, carry the current version, and
        name who saved, when, and the stored values that differ from what was typed."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[self.add_prefix("version")] = str(versions.version_of(current))
        self.data = data
        typed = getattr(self, "cleaned_data", {})
        saved = [
            (str(self[name].label), _display(current, name))
            for name in self.fields
            if name != "version"
            and _is_column(current, name)
            and typed.get(name) != getattr(current, name)
        ]
        saved += [(str(label), value) for label, value in (extra or {}).items()]
        who, when = versions.last_change(current)
        self.conflict = Conflict(
            message=gettext(
                "Data ini sudah diubah oleh %(who)s pada %(when)s, sesudah Anda membukanya. "
                "Isian Anda belum disimpan dan masih ada di formulir: bandingkan dengan versi "
                "tersimpan, gabungkan bila perlu, lalu simpan lagi."
            )
            % {"who": _person(who), "when": _moment(current, when)},
            saved=saved,
        )


def _is_column(record: models.Model, name: str) -> bool:
    try:
        return bool(record._meta.get_field(name).concrete)
    except FieldDoesNotExist:
        return False


def _display(record: models.Model, name: str) -> str:
    """Return a stored value as a person reads it."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if getattr(field, "choices", None):
        return str(getattr(record, f"get_{name}_display")()) or "—"
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if isinstance(value, datetime.date):
        return short_date(value)
    if isinstance(value, models.Model) and hasattr(value, "get_full_name"):
        return _person(value)
    return "—" if value in (None, "") else str(value)


def _person(user: Any) -> str:
    if user is None:
        return gettext("pengguna lain")
    return str(user.get_full_name() or user.username)


def _moment(record: models.Model, when: datetime.datetime | None) -> str:
    """Return the time in the record's facility time zone, with its label (WIB/WITA/WIT)."""
    if when is None:
        return gettext("waktu yang tidak tercatat")
    facility = getattr(record, "facility", None)
    if facility is None:
        return zoned(when)
    return zoned(when, tz=facility.tzinfo)


class NotificationPreferenceForm(forms.Form):
    """Which kinds of reminder the user does not want, and whether the morning e-mail comes."""

    muted = forms.MultipleChoiceField(
        label=_("Jangan ingatkan saya tentang"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest = forms.BooleanField(
        label=_("Kirim ringkasan pengingat ke e-mail saya setiap pagi, jam tujuh waktu UPT"),
        required=False,
        help_text=_(
            "Waktu setempat UPT Anda. Ringkasan tidak memuat hasil kesehatan atau catatan."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "notifications:settings"
        self.helper.add_input(Submit("submit", _("Simpan pengaturan")))
