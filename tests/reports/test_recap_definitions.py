"""The BNN client recap (PP 25/2011 Pasal 18) against the definition table: its column labels
come from reports/definitions.py, and its rows of each kind (screened, assessed, in a
programme) equal the monthly report's figures for the demo's last complete month; the TDI
entrants of that month equal the report's new programme places."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from programs.models import Enrolment
from rehab.models import Facility
from reports import definitions, exports, indicators, tdi

pytestmark = pytest.mark.usefixtures("clock")

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))


def test_the_recap_columns_are_labelled_from_the_definition_table(seeded: str, db: Any) -> None:
    grogot = Facility.objects.get(code="tanah-grogot")
    workbook = load_workbook(io.BytesIO(exports.recap_xlsx(grogot, *OCTOBER)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "No")
    assert list(header) == [str(column.label) for column in definitions.RECAP_COLUMNS]
    assert all(str(column.definition) for column in definitions.RECAP_COLUMNS)
    # one column per cell of a row, in that order
    first = exports.recap_rows(grogot, *OCTOBER)[0]
    assert len(first.cells(1)) == len(definitions.RECAP_COLUMNS)
    assert [c.key for c in definitions.RECAP_COLUMNS][1:3] == ["initials", "number"]


@pytest.mark.parametrize("code", ["tanah-grogot", "banjarnegara"])
def test_the_recap_rows_of_each_kind_equal_the_monthly_report(
    seeded: str, db: Any, code: str
) -> None:
    facility = Facility.objects.get(code=code)
    # One programme place per WBP in the demo (no tier change), so places and people agree.
    assert not Enrolment.objects.filter(facility=facility, replaces__isnull=False).exists()
    rows = exports.recap_rows(facility, *OCTOBER)
    figures = {
        "screening": indicators.screening(facility.pk, *OCTOBER),
        "assessment": indicators.assessment(facility.pk, *OCTOBER),
        "programme": indicators.programme(facility.pk, *OCTOBER),
    }
    counted = {
        "screened": sum(r.screened for r in rows),
        "assessed": sum(r.assessed for r in rows),
        "in_programme": sum(r.in_programme for r in rows),
    }
    for kind, (family, key) in definitions.RECAP_COUNTED_AS.items():
        assert counted[kind] == figures[family][key], (kind, family, key)
        assert definitions.get(family, key)  # the figure the table defines
    assert counted["screened"] > 0 and counted["in_programme"] > 0
    assert all(r.screened or r.assessed or r.in_programme for r in rows)
    # the TDI entrants are the report's new programme places
    entrants = tdi.rows(facility, *OCTOBER, health=False)
    assert len(entrants) == figures["programme"]["new"]
