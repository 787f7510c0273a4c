"""Sign-in and password forms laid out with crispy-forms, and the bound every text field gets."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.db import models
from django.utils.translation import gettext_lazy as _


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
