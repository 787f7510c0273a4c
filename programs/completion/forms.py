"""The warden's attendance waiver form."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from programs.completion.services import REASON_MAX


class WaiveForm(forms.Form):
    """The warden's reason to let a participant complete below the attendance requirement."""

    reason = forms.CharField(
        label=_("Alasan pengecualian"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", _("Kecualikan syarat kehadiran"), css_class="btn-sm btn-warning")
        )
