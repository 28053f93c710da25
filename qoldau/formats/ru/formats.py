# Russian formats, the same as the Kazakh ones (qoldau/formats/kk): 07.12.2026 09:37,
# 2 000 grouped with a narrow no-break space (U+202F) and 0,00. Django's ru writes
# "7 декабря 2026 г. 9:37" for a date and time and groups with a wide no-break space.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
DATE_FORMAT = "j E Y г."
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1
