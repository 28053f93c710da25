"""The employment catalogues every Qoldau database starts with (loaded by a data migration;
an administrator keeps them in the admin, and loads the full classifier of occupations with
`qoldau import occupations FILE`).

Occupations: ISCO-08's major groups and the unit groups the demo and the tests use; the
full НК РК 01-2017 (444 unit groups and their occupations) is loaded from its file. The
working conditions follow the "not recommended" conditions of an ИПР/ИПРА's vocational part
(docs.cntd.ru 1309838387); the accommodations follow the Job Accommodation Network's
impairment → limitation → accommodation. Amounts and rates say where they come from;
those no source confirmed are marked so in their source, for an administrator to check.
"""

from __future__ import annotations

import datetime as dt

# (code, name kk, name ru, name en); the ISCO-08 group is the code's digits.
OCCUPATIONS: list[tuple[str, str, str, str]] = [
    ("1", "Басшылар", "Руководители", "Managers"),
    ("2", "Кәсіби мамандар", "Специалисты-профессионалы", "Professionals"),
    (
        "3",
        "Техниктер және орта буынды мамандар",
        "Специалисты-техники и иной вспомогательный профессиональный персонал",
        "Technicians and associate professionals",
    ),
    (
        "4",
        "Кеңсе қызметкерлері",
        "Служащие, занятые подготовкой и оформлением документации, учетом и обслуживанием",
        "Clerical support workers",
    ),
    (
        "5",
        "Қызмет көрсету және сауда қызметкерлері",
        "Работники сферы обслуживания и торговли",
        "Service and sales workers",
    ),
    (
        "6",
        "Ауыл, орман және балық шаруашылығының білікті қызметкерлері",
        "Квалифицированные работники сельского, лесного и рыбного хозяйства",
        "Skilled agricultural, forestry and fishery workers",
    ),
    (
        "7",
        "Өнеркәсіп, құрылыс және көліктің білікті жұмысшылары",
        "Квалифицированные рабочие промышленности, строительства и транспорта",
        "Craft and related trades workers",
    ),
    (
        "8",
        "Қондырғылар мен машиналардың операторлары және құрастырушылар",
        "Операторы производственных установок и машин, сборщики и водители",
        "Plant and machine operators and assemblers",
    ),
    ("9", "Біліктілігі жоқ жұмысшылар", "Неквалифицированные рабочие", "Elementary occupations"),
    ("0", "Әскери қызметшілер", "Военнослужащие", "Armed forces occupations"),
    (
        "25",
        "Ақпараттық-коммуникациялық технологиялар мамандары",
        "Специалисты в области информационно-коммуникационных технологий",
        "Information and communications technology professionals",
    ),
    (
        "41",
        "Жалпы бейіндегі кеңсе қызметкерлері және пернетақта операторлары",
        "Офисные служащие общего профиля и операторы клавишных устройств",
        "General and keyboard clerks",
    ),
    (
        "2330",
        "Орта білім беру мұғалімдері",
        "Учителя средних учебных заведений",
        "Secondary education teachers",
    ),
    (
        "2512",
        "Бағдарламалық қамтамасыз етуді әзірлеушілер",
        "Разработчики программного обеспечения",
        "Software developers",
    ),
    (
        "3512",
        "АКТ пайдаланушыларын қолдау техниктері",
        "Специалисты-техники по поддержке пользователей ИКТ",
        "ICT user support technicians",
    ),
    (
        "4110",
        "Жалпы бейіндегі кеңсе қызметкерлері",
        "Офисные служащие общего профиля",
        "General office clerks",
    ),
    ("4132", "Деректерді енгізу операторлары", "Операторы ввода данных", "Data entry clerks"),
    (
        "4222",
        "Байланыс орталығының ақпарат қызметкерлері",
        "Служащие информационных контакт-центров",
        "Contact centre information clerks",
    ),
    (
        "4311",
        "Есеп және бухгалтерлік есеп қызметкерлері",
        "Служащие по бухгалтерским операциям и учету",
        "Accounting and bookkeeping clerks",
    ),
    ("5120", "Аспаздар", "Повара", "Cooks"),
    ("5141", "Шаштараздар", "Парикмахеры", "Hairdressers"),
    ("5223", "Дүкен сатушылары", "Продавцы магазинов", "Shop sales assistants"),
    ("7411", "Құрылыс электриктері", "Электрики в строительстве", "Building and related electricians"),
    ("7512", "Наубайшылар мен кондитерлер", "Пекари и кондитеры", "Bakers and confectionery makers"),
    ("7531", "Тігіншілер мен пішушілер", "Портные, закройщики и швеи", "Tailors, dressmakers and furriers"),
    (
        "8322",
        "Жеңіл автомобиль мен такси жүргізушілері",
        "Водители легковых автомобилей и такси",
        "Car, taxi and van drivers",
    ),
    (
        "9112",
        "Кеңселер мен қонақүйлердегі жинаушылар",
        "Уборщики и прислуга в конторах и гостиницах",
        "Cleaners and helpers in offices and hotels",
    ),
    (
        "9329",
        "Өңдеу өнеркәсібінің көмекші жұмысшылары",
        "Подсобные рабочие обрабатывающей промышленности",
        "Manufacturing labourers",
    ),
    (
        "9621",
        "Курьерлер мен сәлемдеме жеткізушілер",
        "Курьеры и доставщики",
        "Messengers and package deliverers",
    ),
]

# (code, kind, name kk, name ru, name en)
WORKING_CONDITIONS: list[tuple[str, str, str, str, str]] = [
    ("heavy_physical_work", "physical", "Ауыр дене еңбегі", "Тяжелый физический труд", "Heavy physical work"),
    (
        "lifting_loads",
        "physical",
        "Жүк көтеру және тасу",
        "Подъем и перенос тяжестей",
        "Lifting and carrying loads",
    ),
    ("prolonged_standing", "physical", "Ұзақ тұрып жұмыс істеу", "Длительное стояние", "Prolonged standing"),
    ("prolonged_walking", "physical", "Ұзақ жүру", "Длительная ходьба", "Prolonged walking"),
    (
        "fine_manual_work",
        "physical",
        "Қолдың дәл қимылдарын қажет ететін жұмыс",
        "Работа, требующая точных движений рук",
        "Fine manual work",
    ),
    ("driving", "physical", "Көлік жүргізу", "Управление транспортом", "Driving"),
    (
        "visual_strain",
        "sensory",
        "Көруге жоғары жүктеме",
        "Высокая зрительная нагрузка",
        "High visual strain",
    ),
    (
        "hearing_dependent",
        "sensory",
        "Естуге негізделген жұмыс (телефон, дыбыстық белгілер)",
        "Работа, зависящая от слуха (телефон, звуковые сигналы)",
        "Work relying on hearing (telephone, sound signals)",
    ),
    ("night_work", "schedule", "Түнгі уақыттағы жұмыс", "Работа в ночное время", "Night work"),
    ("shift_work", "schedule", "Ауысымдық жұмыс", "Сменная работа", "Shift work"),
    ("business_travel", "schedule", "Іссапарлар", "Командировки", "Business travel"),
    ("work_at_height", "environment", "Биіктікте жұмыс істеу", "Работа на высоте", "Work at height"),
    ("noise", "environment", "Шу", "Шум", "Noise"),
    ("vibration", "environment", "Діріл", "Вибрация", "Vibration"),
    (
        "moving_machinery",
        "environment",
        "Қозғалатын механизмдермен жұмыс",
        "Работа с движущимися механизмами",
        "Work with moving machinery",
    ),
    (
        "dust_chemicals",
        "environment",
        "Шаң және зиянды химиялық заттар",
        "Пыль и вредные химические вещества",
        "Dust and harmful chemicals",
    ),
    (
        "temperature_extremes",
        "environment",
        "Суықта, ыстықта немесе ашық ауада жұмыс",
        "Работа на холоде, в жаре или на открытом воздухе",
        "Cold, heat or outdoor work",
    ),
    (
        "emotional_strain",
        "other",
        "Жоғары жүйке-эмоциялық жүктеме",
        "Высокое нервно-эмоциональное напряжение",
        "High emotional strain",
    ),
]

# Impairment (code, kk, ru, en) → its limitations (code, kk, ru, en) → their accommodations
# (code, kk, ru, en, categories of accessibility the accommodation makes the workplace
# accessible for).
Accommodations = list[tuple[str, str, str, str, str]]
Limitations = list[tuple[str, str, str, str, Accommodations]]
ACCOMMODATIONS: list[tuple[str, str, str, str, Limitations]] = [
    (
        "mobility",
        "Қозғалыс бұзылыстары",
        "Нарушения опорно-двигательных функций",
        "Mobility impairments",
        [
            (
                "wheelchair_use",
                "Арбамен жүреді",
                "Передвигается на кресле-коляске",
                "Uses a wheelchair",
                [
                    (
                        "step_free_workplace",
                        "Жұмыс орнына дейін кедергісіз жол, бейімделген дәретхана мен үстел",
                        "Безбарьерный путь до рабочего места, приспособленные санузел и стол",
                        "A step-free route to the workplace, an adapted toilet and desk",
                        "КО",
                    ),
                    (
                        "adjustable_desk",
                        "Биіктігі реттелетін үстел",
                        "Регулируемый по высоте стол",
                        "A height-adjustable desk",
                        "",
                    ),
                ],
            ),
            (
                "standing_walking",
                "Ұзақ тұру мен жүру қиын",
                "Трудно долго стоять и ходить",
                "Difficulty standing or walking for long",
                [
                    (
                        "seated_work",
                        "Отырып жұмыс істеу мүмкіндігі",
                        "Возможность работать сидя",
                        "The option to work seated",
                        "",
                    ),
                    (
                        "parking_near_entrance",
                        "Кіреберіске жақын тұрақ",
                        "Парковка у входа",
                        "Parking near the entrance",
                        "",
                    ),
                ],
            ),
            (
                "fatigue",
                "Тез шаршайды",
                "Быстро утомляется",
                "Tires quickly",
                [
                    (
                        "flexible_schedule",
                        "Икемді кесте және қосымша үзілістер",
                        "Гибкий график и дополнительные перерывы",
                        "A flexible schedule and extra breaks",
                        "",
                    ),
                ],
            ),
        ],
    ),
    (
        "vision",
        "Көру бұзылыстары",
        "Нарушения зрения",
        "Vision impairments",
        [
            (
                "reading_print",
                "Баспа мәтінді оқу қиын",
                "Трудно читать печатный текст",
                "Difficulty reading print",
                [
                    (
                        "screen_reader",
                        "Экраннан оқу бағдарламасы",
                        "Программа экранного доступа",
                        "Screen reader software",
                        "",
                    ),
                    ("screen_magnifier", "Экран ұлғайтқыш", "Экранное увеличение", "A screen magnifier", ""),
                ],
            ),
            (
                "orientation",
                "Кеңістікте бағдар табу қиын",
                "Трудно ориентироваться в пространстве",
                "Difficulty finding the way",
                [
                    (
                        "tactile_route",
                        "Жұмыс орнына дейінгі тактильді белгілер мен дыбыстық нұсқағыштар",
                        "Тактильная разметка и звуковые указатели до рабочего места",
                        "Tactile markings and audible signs on the route to the workplace",
                        "С",
                    ),
                    (
                        "orientation_training",
                        "Жұмыс орнында бағдар табуға үйрету",
                        "Обучение ориентированию на рабочем месте",
                        "Orientation and mobility training at the workplace",
                        "",
                    ),
                ],
            ),
        ],
    ),
    (
        "hearing",
        "Есту бұзылыстары",
        "Нарушения слуха",
        "Hearing impairments",
        [
            (
                "spoken_communication",
                "Ауызша сөйлесу қиын",
                "Трудно общаться устно",
                "Difficulty with spoken communication",
                [
                    (
                        "sign_interpreter",
                        "Ым тілі аудармашысы",
                        "Сурдопереводчик",
                        "A sign-language interpreter",
                        "",
                    ),
                    (
                        "written_communication",
                        "Жазбаша сөйлесу және мәтіндік хабарламалар",
                        "Письменное общение и текстовые сообщения",
                        "Written communication and text messages",
                        "",
                    ),
                ],
            ),
            (
                "sound_alarms",
                "Дыбыстық белгілерді естімейді",
                "Не слышит звуковые сигналы",
                "Cannot hear sound alarms",
                [
                    (
                        "visual_alarms_signage",
                        "Жарық және діріл дабылдары, көрнекі ақпарат",
                        "Световая и вибрационная сигнализация, визуальная информация",
                        "Light and vibrating alarms, visual information",
                        "Г",
                    ),
                ],
            ),
        ],
    ),
    (
        "intellectual_mental",
        "Ақыл-ой және психикалық бұзылыстар",
        "Интеллектуальные и психические нарушения",
        "Intellectual and mental impairments",
        [
            (
                "learning_tasks",
                "Жаңа міндеттерді меңгеру қиын",
                "Трудно осваивать новые задачи",
                "Difficulty learning new tasks",
                [
                    (
                        "job_coach_on_site",
                        "Жұмыс орнында джоб-коучтың сүйемелдеуі",
                        "Сопровождение джоб-коуча на рабочем месте",
                        "A job coach at the workplace",
                        "У",
                    ),
                    (
                        "easy_read_instructions",
                        "Суреттері бар оңай оқылатын нұсқаулықтар",
                        "Инструкции в простом изложении с картинками",
                        "Easy-read instructions with pictures",
                        "",
                    ),
                ],
            ),
            (
                "stress",
                "Стресске төзімділігі төмен",
                "Снижена стрессоустойчивость",
                "Low tolerance of stress",
                [
                    ("quiet_workspace", "Тыныш жұмыс орны", "Тихое рабочее место", "A quiet workspace", ""),
                    (
                        "workplace_mentor",
                        "Әріптес-тәлімгер",
                        "Наставник из коллег",
                        "A mentor among colleagues",
                        "",
                    ),
                ],
            ),
        ],
    ),
]

BUDGET_LAW = "Law on the republican budget of that year (minimum wage); see consult/knowledge/amounts.toml"
# (valid from, tenge a month, source)
MINIMUM_WAGES: list[tuple[dt.date, int, str]] = [
    (dt.date(2024, 1, 1), 85_000, BUDGET_LAW + "; kz.kursiv.media 2023-12-27"),
    (dt.date(2025, 1, 1), 85_000, BUDGET_LAW + "; pricom.kz, zakon.kz 2025-12-09"),
    (dt.date(2026, 1, 1), 85_000, BUDGET_LAW + "; zakon.kz 2025-12-09, alau.kz"),
]

SOCIAL_CODE = "Social Code of 2023 (Morgan Lewis LawFlash, March 2024; prosud.kz, November 2025)"
# (valid from, from headcount, to headcount or None, per cent, source)
QUOTA_BANDS: list[tuple[dt.date, int, int | None, str, str]] = [
    (dt.date(2023, 7, 1), 50, 100, "2", SOCIAL_CODE),
    (dt.date(2023, 7, 1), 101, 250, "3", SOCIAL_CODE),
    (dt.date(2023, 7, 1), 251, None, "4", SOCIAL_CODE),
]

UNVERIFIED = "UNVERIFIED under the 2023 Social Code: an administrator checks and corrects it."
# (code, kind, kk, ru, en, valid from, subsidy months, kept months, wage subsidy %,
#  reimbursement cap in MCI, source, note)
PROGRAMMES: list[
    tuple[str, str, str, str, str, dt.date, int | None, int | None, str | None, int | None, str, str]
] = [
    (
        "social_workplace",
        "social_workplace",
        "Әлеуметтік жұмыс орындары",
        "Социальные рабочие места",
        "Social workplaces",
        dt.date(2023, 7, 1),
        12,
        None,
        "35",
        None,
        "Earlier rules of active employment measures (zakon.kz 6437017)",
        "The older rule: 35 % of the wage, capped at the minimum wage, up to 12 months. " + UNVERIFIED,
    ),
    (
        "special_workplace",
        "special_workplace",
        "Мүгедектігі бар адамдарға арналған арнаулы жұмыс орындары",
        "Специальные рабочие места для лиц с инвалидностью",
        "Special workplaces for people with disabilities",
        dt.date(2023, 7, 1),
        None,
        12,
        None,
        None,
        "cz-almaty.kz",
        "Created by contract with the employment centre and kept at least 12 months. " + UNVERIFIED,
    ),
    (
        "adaptation_reimbursement",
        "adaptation",
        "Жұмыс орнын бейімдеу шығындарын өтеу",
        "Возмещение затрат на адаптацию рабочего места",
        "Reimbursement of a workplace's adaptation",
        dt.date(2023, 7, 1),
        None,
        None,
        None,
        300,
        "A 2023 draft (up to 300 MCI per workplace); reported elsewhere as up to 1 million tenge",
        UNVERIFIED,
    ),
]

# Service deliveries the jobs app records for an organisation's project (a coaching session
# is the catalogue's "employment_support"): (code, kk, ru, en, unit kk, ru, en).
SERVICE_TYPES: list[tuple[str, str, str, str, str, str, str]] = [
    ("job_placement", "Жұмысқа орналастыру", "Трудоустройство", "Job placement", "рет", "раз", "times"),
    (
        "retention_follow_up",
        "Жұмыста сақталуын тексеру",
        "Проверка сохранения занятости",
        "Retention follow-up",
        "рет",
        "раз",
        "times",
    ),
]
COACHING_SERVICE = "employment_support"
PLACEMENT_SERVICE = "job_placement"
FOLLOW_UP_SERVICE = "retention_follow_up"
