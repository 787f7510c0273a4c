"""The programme lists (cohorts, participants, post-release follow-ups) leave the screen the
same way as the WBP list: printed or exported with the filters of the page, every row up to
the limits of settings, and an access-log row per facility whose people left on paper or in a
file. Each list names its columns; a column may be blank for the rows of a facility where the
user may not see it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from rehab import audit, tables

Column = tuple[str | Promise, Callable[[Any], Any]]


@dataclass(frozen=True)
class ListOutput:
    title: str | Promise
    sheet: str | Promise
    file_name: str
    action: str  # the access-log action, with ".print" or ".xlsx" after it
    columns: Sequence[Column]


def respond(
    request: HttpRequest,
    output: str,
    spec: ListOutput,
    rows: QuerySet[Any],
    *,
    summary: str,
    back: str,
    facility_ids: Sequence[int],
) -> HttpResponse:
    """Print (`output="print"`) or export (`"xlsx"`) the filtered rows."""
    limit = settings.LIST_PRINT_MAX_ROWS if output == "print" else settings.LIST_EXPORT_MAX_ROWS
    records = list(rows[: limit + 1])
    cut = len(records) > limit
    records = records[:limit]
    header = [str(label) for label, _value in spec.columns]
    table = [[value(record) for _label, value in spec.columns] for record in records]
    per_facility = Counter(record.facility_id for record in records)
    logged = []
    for facility_id in sorted(per_facility) or list(facility_ids)[:1]:
        detail = "; ".join(p for p in (f"{per_facility[facility_id]} {spec.sheet!s}", summary) if p)
        logged.append((facility_id, f"{spec.action}.{output}", detail))
    audit.log_access_many(user=request.user, rows=logged)
    if output == "print":
        return tables.print_view(
            request, title=str(spec.title), header=header, rows=table, summary=summary,
            back=back, cut=cut, limit=limit,
        )  # fmt: skip
    content = tables.xlsx(
        header,
        table,
        by=request.user,
        filters=summary,
        title=str(spec.title),
        sheet=str(spec.sheet),
    )
    return tables.xlsx_response(content, spec.file_name)


def query_without_page(request: HttpRequest) -> str:
    """The request's filters without its page number, for links that keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
