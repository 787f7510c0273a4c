"""Indonesian formats as the Indonesian government writes them (Tata Naskah Dinas).

Dates in prose and headings "3 Desember 2026", in tables "03/12/2026"; times "18.31" and, on
the page, always with the zone of the facility ("18.31 WITA", see the ``zoned`` filter in
rehab/templatetags/rehab_format.py); thousands "3.000.000". What is not set here (the input
formats) falls through to Django's own Indonesian module.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
