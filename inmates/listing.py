"""The WBP list: its columns, the columns later apps add, and the rows printed or exported.

Apps further along the flow cannot be imported here; each adds its columns with
`register_column` in its AppConfig.ready() (assessments: the tier, which can also filter the
list, and the diagnosis). A column names the action that shows it: a value is filled in only
for the rows of the facilities where the user holds that action, so an export never carries
health data a role may not see. Clinical columns stay off the screen list: they are printed and
exported only, and every print view and export is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.expressions import BaseExpression
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from inmates.models import Inmate
from rehab import access, tables


@dataclass(frozen=True)
class Column:
    """A column another app adds to the WBP list (and a filter over it, given choices)."""

    name: str  # the annotation, and the GET parameter of its filter
    label: Any
    action: str  # rehab.access action needed in the row's facility to see the value
    value: Callable[[], BaseExpression]  # the value, an expression over the WBP row
    choices: Sequence[tuple[str, Any]] = ()
    display: Callable[[Any], Any] = str
    # False for clinical values: only in the print view and the export, which are logged.
    on_screen: bool = True


columns: list[Column] = []


def register_column(column: Column) -> Column:
    """Add a column to the WBP list, its print view and its export (once per name)."""
    if column.name not in {c.name for c in columns}:
        columns.append(column)
    return column


@dataclass(frozen=True)
class Shown:
    """A registered column as one user sees it: the facilities where its values show."""

    column: Column
    facility_ids: frozenset[int]

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def label(self) -> Any:
        return self.column.label

    def cell(self, inmate: Inmate) -> Any:
        """Return the row's value, or "" where the user may not see it."""
        value = getattr(inmate, self.column.name, None)
        if inmate.facility_id not in self.facility_ids or value in (None, ""):
            return ""
        shown = self.column.display(value)
        return str(shown) if isinstance(shown, Promise) else shown


def shown_columns(user: Any) -> list[Shown]:
    """Return the registered columns the user may see in at least one facility."""
    shown = []
    for column in columns:
        ids = frozenset(access.facility_ids_for(user, column.action))
        if ids:
            shown.append(Shown(column, ids))
    return shown


def with_columns(inmates: QuerySet[Inmate], shown: list[Shown]) -> QuerySet[Inmate]:
    """Annotate the rows with the values of the columns the user may see."""
    return inmates.annotate(**{s.name: s.column.value() for s in shown})


def filtered_by_columns(
    inmates: QuerySet[Inmate], shown: list[Shown], data: dict[str, Any]
) -> QuerySet[Inmate]:
    """Keep the rows whose column value is the one asked for, where the user may see it."""
    for s in shown:
        if s.column.choices and data.get(s.name):
            inmates = inmates.filter(
                **{s.name: data[s.name], "facility_id__in": sorted(s.facility_ids)}
            )
    return inmates


# --- the rows of the print view and the export --------------------------------------------


def _place(inmate: Inmate) -> str:
    return "/".join(part for part in (inmate.block, inmate.cell) if part)


BASE_COLUMNS: list[tuple[Callable[[], str], Callable[[Inmate], Any]]] = [
    (lambda: _("Nama"), lambda i: i.full_name),
    (lambda: _("Alias"), lambda i: i.aliases),
    (lambda: _("No. registrasi"), lambda i: i.registration_number),
    (lambda: _("Kategori register"), lambda i: i.register_class),
    (lambda: _("Jenis kelamin"), lambda i: i.get_sex_display()),
    (lambda: _("Blok/kamar"), _place),
    (lambda: _("Tanggal masuk"), lambda i: i.admission_date),
    (lambda: _("Tanggal ekspirasi"), lambda i: i.expiry_date),
    (lambda: _("Tanggal bebas"), lambda i: i.release_date),
    (lambda: _("Status"), lambda i: i.get_status_display()),
    (lambda: _("UPT"), lambda i: i.facility.name),
]


def table(inmates: Sequence[Inmate], shown: list[Shown]) -> tuple[list[str], list[list[Any]]]:
    """Return the header and the rows of a printed or exported list."""
    header = [label() for label, _value in BASE_COLUMNS] + [str(s.label) for s in shown]
    rows = [
        [value(inmate) for _label, value in BASE_COLUMNS] + [s.cell(inmate) for s in shown]
        for inmate in inmates
    ]
    return header, rows


def xlsx(header: list[str], rows: list[list[Any]], *, by: Any, filters: str) -> bytes:
    """Write the WBP list as an XLSX workbook: the rows, and a sheet saying who exported what."""
    return tables.xlsx(header, rows, by=by, filters=filters, title=_("Daftar WBP"), sheet=_("WBP"))
