# English formats. The English pages are read in Kazakhstan beside the Kazakh and Russian
# ones, so the day comes in an order nobody misreads: ISO 8601 (2026-12-07 09:37) and a 24-hour
# clock, never the US 12/07/2026 9:37 a.m. Numbers are grouped the English way: 2,000.50.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
