# Kazakh formats. Django's own kk locale has none, so dates fell back to the US order
# ("12/07/2026 9:37 Т.Ж.") and numbers to no grouping. Kazakhstan writes 07.12.2026 09:37,
# 2 000 (grouped with a narrow no-break space, U+202F, as the Russian below) and 0,00.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1
