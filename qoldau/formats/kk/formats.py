# Kazakh number formats: Django's own kk locale has no grouping, so 2000 would read
# "2000" beside Russian "2 000". Kazakhstan writes 2 000 and 0,00.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = "d.m.Y"
