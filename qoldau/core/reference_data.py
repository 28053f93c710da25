"""Reference data every Qoldau database starts with (loaded by a data migration).

Regions: KATO top level since 8 June 2022 (`shared/domain/KAZAKHSTAN.md`). District codes
of Almaty and Astana are left empty until the official KATO file is imported: an invented
code would be worse than none.
"""

from __future__ import annotations

REGIONS: list[tuple[str, str, str, str]] = [
    ("100000000", "Абай облысы", "область Абай", "Abai Region"),
    ("110000000", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("150000000", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("190000000", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("230000000", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    ("270000000", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region"),
    ("310000000", "Жамбыл облысы", "Жамбылская область", "Jambyl Region"),
    ("330000000", "Жетісу облысы", "область Жетісу", "Jetisu Region"),
    ("350000000", "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("390000000", "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("430000000", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("470000000", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("550000000", "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    ("590000000", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region"),
    ("610000000", "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("620000000", "Ұлытау облысы", "область Ұлытау", "Ulytau Region"),
    ("630000000", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region"),
    ("710000000", "Астана қаласы", "г. Астана", "Astana"),
    ("750000000", "Алматы қаласы", "г. Алматы", "Almaty"),
    ("790000000", "Шымкент қаласы", "г. Шымкент", "Shymkent"),
]

ALMATY = "750000000"
ASTANA = "710000000"

# (region KATO, name kk, name ru, name en)
DISTRICTS: list[tuple[str, str, str, str]] = [
    (ALMATY, "Алатау ауданы", "Алатауский район", "Alatau District"),
    (ALMATY, "Алмалы ауданы", "Алмалинский район", "Almaly District"),
    (ALMATY, "Әуезов ауданы", "Ауэзовский район", "Auezov District"),
    (ALMATY, "Бостандық ауданы", "Бостандыкский район", "Bostandyq District"),
    (ALMATY, "Жетісу ауданы", "Жетысуский район", "Zhetysu District"),
    (ALMATY, "Медеу ауданы", "Медеуский район", "Medeu District"),
    (ALMATY, "Наурызбай ауданы", "Наурызбайский район", "Nauryzbay District"),
    (ALMATY, "Түрксіб ауданы", "Турксибский район", "Turksib District"),
    (ASTANA, "Алматы ауданы", "район Алматы", "Almaty District"),
    (ASTANA, "Байқоңыр ауданы", "район Байконыр", "Baikonyr District"),
    (ASTANA, "Есіл ауданы", "район Есиль", "Yesil District"),
    (ASTANA, "Сарыарқа ауданы", "район Сарыарка", "Saryarka District"),
    (ASTANA, "Нұра ауданы", "район Нура", "Nura District"),
    (ASTANA, "Сарайшық ауданы", "район Сарайшык", "Saraishyq District"),
]

# (code, kk, ru, en, is_disability)
CATEGORIES: list[tuple[str, str, str, str, bool]] = [
    ("disability_group_1", "I топтағы мүгедектігі бар адам", "Лицо с инвалидностью I группы", "Person with disability, group I", True),
    ("disability_group_2", "II топтағы мүгедектігі бар адам", "Лицо с инвалидностью II группы", "Person with disability, group II", True),
    ("disability_group_3", "III топтағы мүгедектігі бар адам", "Лицо с инвалидностью III группы", "Person with disability, group III", True),
    ("child_with_disability", "Мүгедектігі бар бала", "Ребёнок с инвалидностью", "Child with disability", True),
    ("pensioner", "Зейнеткер", "Пенсионер", "Pensioner", False),
    ("large_family", "Көпбалалы отбасы", "Многодетная семья", "Large family", False),
    ("orphan", "Жетім бала немесе ата-анасының қамқорлығынсыз қалған бала", "Ребёнок-сирота или ребёнок, оставшийся без попечения родителей", "Orphan or child without parental care", False),
    ("veteran", "Ардагер", "Ветеран", "Veteran", False),
    ("home_front_worker", "Тыл еңбеккері", "Труженик тыла", "Home-front worker", False),
    ("low_income_family", "Аз қамтылған отбасы", "Малообеспеченная семья", "Low-income family", False),
    ("domestic_violence_survivor", "Тұрмыстық зорлық-зомбылықтан зардап шеккен адам", "Пострадавший от бытового насилия", "Survivor of domestic violence", False),
    ("trafficking_victim", "Адам саудасының құрбаны", "Жертва торговли людьми", "Victim of human trafficking", False),
    ("problem_borrower", "Проблемалық қарыз алушы", "Проблемный заёмщик", "Problem borrower", False),
]

# (code, kk, ru, en, unit kk, unit ru, unit en)
SERVICE_TYPES: list[tuple[str, str, str, str, str, str, str]] = [
    ("legal_consultation", "Заң кеңесі", "Юридическая консультация", "Legal consultation", "рет", "раз", "times"),
    ("social_consultation", "Әлеуметтік кеңес", "Социальная консультация", "Social consultation", "рет", "раз", "times"),
    ("debt_counselling", "Қарыз бойынша кеңес", "Консультация по долгам", "Debt counselling", "рет", "раз", "times"),
    ("employment_support", "Жұмысқа орналасуға сүйемелдеу (джоб-коуч)", "Сопровождение трудоустройства (джоб-коуч)", "Employment support (job coach)", "рет", "раз", "times"),
    ("work_practice", "Еңбек практикасы", "Трудовая практика", "Work practice", "күн", "день", "days"),
    ("training_course", "Оқыту курсы", "Обучающий курс", "Training course", "курс", "курс", "courses"),
    ("independent_living_course", "Тәуелсіз өмір курсы (стационарлық апта)", "Курс независимой жизни (стационарная неделя)", "Independent living course (residential week)", "курс", "курс", "courses"),
    ("crisis_family_support", "Дағдарыстағы отбасын қолдау", "Поддержка семьи в кризисе", "Support for a family in crisis", "рет", "раз", "times"),
    ("shelter_support", "Баспана және қолдау (әйелдер мен балалар)", "Приют и поддержка (женщины с детьми)", "Shelter and support (women with children)", "күн", "день", "days"),
    ("psychological_support", "Психологиялық қолдау", "Психологическая поддержка", "Psychological support", "сеанс", "сеанс", "sessions"),
    ("creative_studio", "Шығармашылық студия сабағы", "Занятие творческой студии", "Creative studio session", "сабақ", "занятие", "sessions"),
    ("hippotherapy", "Иппотерапия", "Иппотерапия", "Hippotherapy", "сеанс", "сеанс", "sessions"),
    ("wheelchair_repair", "Арбаны жөндеу", "Ремонт коляски", "Wheelchair repair", "рет", "раз", "times"),
    ("sign_language_interpreting", "Сурдоаударма", "Сурдоперевод", "Sign-language interpreting", "сағат", "час", "hours"),
    ("home_palliative_care", "Үйде паллиативтік көмек", "Паллиативная помощь на дому", "Home palliative care", "күн", "день", "days"),
]
