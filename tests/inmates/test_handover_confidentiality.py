"""The confidentiality walk (tests/assessments/test_confidentiality.py) over the new exports and
PDFs with real parameters: the TDI 3.0 export of the walk's facility and year and the hand-over
of a WBP moved out of rehab hold no health result for the staff, the warden or the supervisor;
the clinical roles get the clinical hand-over."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from reports import tdi
from tests.assessments.test_confidentiality import MARKERS, XLSX, _xlsx_text
from tests.assessments.test_confidentiality import sensitive as sensitive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
HEALTH_HEADERS = [str(item.label) for item in tdi.ITEMS if item.health]


@pytest.mark.parametrize("role", ["staff", "warden", "supervisor", "admin"])
def test_no_new_export_or_pdf_shows_a_clinical_result_to_a_non_clinical_role(
    client: Client, members: dict[str, Any], sensitive: dict[str, Any], fed_html: list[str],
    facility_a: Any, role: str,
) -> None:  # fmt: skip
    client.force_login(members[role])
    year = {"facility": facility_a.pk, "kind": "year", "period": "2026"}
    opened = 0
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("reports:tdi_download", args=[fmt]), year)
        if response.status_code != 200:
            assert role in ("supervisor", "admin") and response.status_code == 403
            continue
        opened += 1
        text = (
            _xlsx_text(response.content)
            if response["Content-Type"] == XLSX
            else response.content.decode()
        )
        for marker in [*MARKERS, *HEALTH_HEADERS]:
            assert marker not in text, (fmt, marker)
    transfer = sensitive["outside_transfer"]["own"]
    response = client.get(transfer.get_absolute_url())
    if role == "admin":
        assert response.status_code == 403
    else:
        assert response["Content-Type"] == "application/pdf"
        for marker in MARKERS:
            assert marker not in fed_html[-1], marker
        opened += 1
    assert opened == {"staff": 3, "warden": 3, "supervisor": 1, "admin": 0}[role]


@pytest.mark.parametrize("role", ["health", "counselor"])
def test_the_clinical_roles_get_the_clinical_hand_over(
    client: Client, members: dict[str, Any], sensitive: dict[str, Any], fed_html: list[str],
    role: str,
) -> None:  # fmt: skip
    client.force_login(members[role])
    response = client.get(sensitive["outside_transfer"]["own"].get_absolute_url())
    assert "klinis" in response["Content-Disposition"]
    for marker in ("Reaktif", "RSUD Panglima Sebaya", "F19.7", "Psikosis berulang"):
        assert marker in fed_html[-1], marker
