"""The national holidays (hari libur nasional) and cuti bersama of Indonesia, and the Ramadan
hours, preloaded on every facility's calendar.

2026 follows the SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025 (17 holidays, 8 days of cuti
bersama). The 2027 list is an estimate written before its SKB: the fixed dates are certain, the
lunar ones (Islamic, Imlek, Nyepi, Waisak) are the usual reckoning and may move a day; the staff
correct a row on the facility calendar, and a corrected row is never loaded again (a date that
already holds a holiday is skipped). The same goes for the Ramadan hours: an estimate of the
dates and the usual 08.00-12.00, to set after the sidang isbat and the warden's decision.

`load` writes what a facility lacks and nothing else, so the data migration, the
`load_holidays` command, a new facility (rehab.services.facility_created) and a second run
agree. It takes the model classes, so a migration passes its historical ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

D = datetime.date

# (date, title): the national holidays and the cuti bersama, by year.
HOLIDAYS: dict[int, list[tuple[datetime.date, str]]] = {
    2026: [
        (D(2026, 1, 1), "Tahun Baru Masehi"),
        (D(2026, 1, 16), "Isra Mikraj Nabi Muhammad SAW"),
        (D(2026, 2, 16), "Cuti bersama Tahun Baru Imlek"),
        (D(2026, 2, 17), "Tahun Baru Imlek 2577 Kongzili"),
        (D(2026, 3, 18), "Cuti bersama Hari Suci Nyepi"),
        (D(2026, 3, 19), "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
        (D(2026, 3, 20), "Cuti bersama Idulfitri"),
        (D(2026, 3, 21), "Idulfitri 1447 H"),
        (D(2026, 3, 22), "Idulfitri 1447 H"),
        (D(2026, 3, 23), "Cuti bersama Idulfitri"),
        (D(2026, 3, 24), "Cuti bersama Idulfitri"),
        (D(2026, 4, 3), "Wafat Yesus Kristus"),
        (D(2026, 4, 5), "Kebangkitan Yesus Kristus (Paskah)"),
        (D(2026, 5, 1), "Hari Buruh Internasional"),
        (D(2026, 5, 14), "Kenaikan Yesus Kristus"),
        (D(2026, 5, 15), "Cuti bersama Kenaikan Yesus Kristus"),
        (D(2026, 5, 27), "Iduladha 1447 H"),
        (D(2026, 5, 28), "Cuti bersama Iduladha"),
        (D(2026, 5, 31), "Hari Raya Waisak 2570 BE"),
        (D(2026, 6, 1), "Hari Lahir Pancasila"),
        (D(2026, 6, 16), "Tahun Baru Islam 1448 H"),
        (D(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia"),
        (D(2026, 8, 25), "Maulid Nabi Muhammad SAW"),
        (D(2026, 12, 24), "Cuti bersama Hari Raya Natal"),
        (D(2026, 12, 25), "Hari Raya Natal"),
    ],
    # An estimate until the SKB for 2027 is out (see above).
    2027: [
        (D(2027, 1, 1), "Tahun Baru Masehi"),
        (D(2027, 1, 5), "Isra Mikraj Nabi Muhammad SAW"),
        (D(2027, 2, 6), "Tahun Baru Imlek 2578 Kongzili"),
        (D(2027, 3, 9), "Hari Suci Nyepi (Tahun Baru Saka 1949)"),
        (D(2027, 3, 10), "Idulfitri 1448 H"),
        (D(2027, 3, 11), "Idulfitri 1448 H"),
        (D(2027, 3, 12), "Cuti bersama Idulfitri"),
        (D(2027, 3, 15), "Cuti bersama Idulfitri"),
        (D(2027, 3, 26), "Wafat Yesus Kristus"),
        (D(2027, 3, 28), "Kebangkitan Yesus Kristus (Paskah)"),
        (D(2027, 5, 1), "Hari Buruh Internasional"),
        (D(2027, 5, 6), "Kenaikan Yesus Kristus"),
        (D(2027, 5, 7), "Cuti bersama Kenaikan Yesus Kristus"),
        (D(2027, 5, 16), "Iduladha 1448 H"),
        (D(2027, 5, 20), "Hari Raya Waisak 2571 BE"),
        (D(2027, 5, 21), "Cuti bersama Hari Raya Waisak"),
        (D(2027, 6, 1), "Hari Lahir Pancasila"),
        (D(2027, 6, 6), "Tahun Baru Islam 1449 H"),
        (D(2027, 8, 15), "Maulid Nabi Muhammad SAW"),
        (D(2027, 8, 17), "Hari Kemerdekaan Republik Indonesia"),
        (D(2027, 12, 24), "Cuti bersama Hari Raya Natal"),
        (D(2027, 12, 25), "Hari Raya Natal"),
    ],
}
ESTIMATED_YEARS = frozenset({2027})

# (title, first day, last day, earliest start, latest end, note) by the year it falls in.
RAMADAN: dict[int, tuple[str, datetime.date, datetime.date, datetime.time, datetime.time, str]] = {
    2027: (
        "Ramadan",
        D(2027, 2, 8),
        D(2027, 3, 9),
        datetime.time(8),
        datetime.time(12),
        "Ramadan 1448 H, perkiraan: sesuaikan tanggal dan jam dengan sidang isbat dan "
        "keputusan Kepala UPT.",
    ),
}

YEARS = sorted(HOLIDAYS)


def holidays_between(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """The holidays and cuti bersama from first to last, in date order."""
    return sorted(
        (day, title)
        for year in range(first.year, last.year + 1)
        for day, title in HOLIDAYS.get(year, [])
        if first <= day <= last
    )


def load(
    *,
    activity_model: Any,
    period_model: Any,
    facility_ids: Collection[int],
    years: Collection[int] = (),
) -> int:
    """Put the holidays and the Ramadan hours of `years` (all known ones when empty) on the
    calendar of each facility that lacks them: a holiday on a date that has one already, and a
    period overlapping one already there, are skipped. Return how many rows were written."""
    wanted = sorted(years) or YEARS
    days = [(day, title) for year in wanted for day, title in HOLIDAYS.get(year, [])]
    periods = [RAMADAN[year] for year in wanted if year in RAMADAN]
    if not facility_ids or not (days or periods):
        return 0
    holiday = "holiday"  # ActivityKind.HOLIDAY; the historical model has no TextChoices
    taken = set(
        activity_model.objects.filter(
            facility_id__in=list(facility_ids), kind=holiday, date__in=[d for d, _t in days]
        ).values_list("facility_id", "date")
    )
    rows = []
    for facility_id in facility_ids:
        for day, title in days:
            if (facility_id, day) not in taken:  # two names of one day: the first only
                taken.add((facility_id, day))
                rows.append(
                    activity_model(facility_id=facility_id, title=title, kind=holiday, date=day)
                )
    activity_model.objects.bulk_create(rows)
    written = len(rows)
    for title, first, last, start, end, note in periods:
        have = set(
            period_model.objects.filter(
                facility_id__in=list(facility_ids), start_date__lte=last, end_date__gte=first
            ).values_list("facility_id", flat=True)
        )
        new = [
            period_model(
                facility_id=facility_id, title=title, start_date=first, end_date=last,
                start_time=start, end_time=end, note=note,
            )
            for facility_id in facility_ids
            if facility_id not in have
        ]  # fmt: skip
        period_model.objects.bulk_create(new)
        written += len(new)
    return written


def load_for(facility_ids: Collection[int], years: Collection[int] = ()) -> int:
    """`load` with the current models."""
    from programs.scheduling.models import HoursPeriod
    from programs.tiers.models import FacilityActivity

    return load(
        activity_model=FacilityActivity,
        period_model=HoursPeriod,
        facility_ids=facility_ids,
        years=years,
    )


def facility_setup(facility: Any) -> None:
    """Load the holidays and the Ramadan hours on a new facility's calendar."""
    load_for([facility.pk])
