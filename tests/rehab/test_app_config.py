"""The project's own app config is the one Django loads for "rehab"."""

from __future__ import annotations

from django.apps import apps

from rehab.apps import RehabConfig
from rehab.audit import access_label


def test_rehab_runs_its_own_config_and_its_ready_names_the_access_codes() -> None:
    assert type(apps.get_app_config("rehab")) is RehabConfig
    assert access_label("pdf.download") == "Mengunduh PDF"
