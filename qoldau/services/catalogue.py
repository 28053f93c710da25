"""The catalogue of special social services every Qoldau database starts with (loaded by
the data migration `0002_directory_catalogue`; a system administrator keeps it in the
admin afterwards).

The four settings and the eight types follow the Social Code of 2023 and the older law on
special social services (`../shared/domain/SERVICES.md`); which services each setting
lists under Order 263 is not confirmed, so a service names its setting and type itself.
The needs are what people search by; the list is ours, for an administrator to extend.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core.i18n import LANGUAGE_NAMES

# Languages a service may be given in: the state language, Russian, English, and
# Kazakh-Russian sign language (ISO 639-2 "sgn").
LANGUAGES: dict[str, Promise] = {**LANGUAGE_NAMES, "sgn": _("Sign language")}

# (taxonomy, code, name kk, name ru, name en)
SETTINGS: list[tuple[str, str, str, str]] = [
    ("residential", "Стационар жағдайында", "В условиях стационара", "Residential"),
    (
        "semi_residential",
        "Жартылай стационар (күндізгі) жағдайында",
        "В условиях полустационара (дневное пребывание)",
        "Semi-residential (day care)",
    ),
    ("at_home", "Үйде", "На дому", "At home"),
    ("temporary_stay", "Уақытша болу жағдайында", "В условиях временного пребывания", "Temporary stay"),
]

TYPES: list[tuple[str, str, str, str]] = [
    ("social_household", "Әлеуметтік-тұрмыстық", "Социально-бытовые", "Social-household"),
    ("medical", "Әлеуметтік-медициналық", "Социально-медицинские", "Medical"),
    ("psychological", "Әлеуметтік-психологиялық", "Социально-психологические", "Psychological"),
    ("pedagogical", "Әлеуметтік-педагогикалық", "Социально-педагогические", "Pedagogical"),
    ("labour", "Әлеуметтік-еңбек", "Социально-трудовые", "Labour"),
    ("cultural", "Әлеуметтік-мәдени", "Социально-культурные", "Cultural"),
    ("economic", "Әлеуметтік-экономикалық", "Социально-экономические", "Economic"),
    ("legal", "Әлеуметтік-құқықтық", "Социально-правовые", "Legal"),
]

NEEDS: list[tuple[str, str, str, str]] = [
    ("home_care", "Үйде күтім", "Уход на дому", "Home care"),
    ("day_care", "Күндізгі күтім", "Дневной уход", "Day care"),
    ("rehabilitation", "Оңалту", "Реабилитация", "Rehabilitation"),
    (
        "early_intervention",
        "Ерте араласу (3 жасқа дейінгі балалар)",
        "Ранее вмешательство (дети до 3 лет)",
        "Early intervention (children under 3)",
    ),
    ("psychological_help", "Психологиялық көмек", "Психологическая помощь", "Psychological help"),
    ("legal_help", "Заң көмегі", "Юридическая помощь", "Legal help"),
    ("residential_care", "Тұрақты тұратын күтім", "Постоянный уход с проживанием", "Residential care"),
    (
        "respite",
        "Уақытша болу (демалыс күтімі)",
        "Временное пребывание (передышка для семьи)",
        "Respite and temporary stay",
    ),
    ("sign_language", "Ым тілі аудармашысы", "Услуги сурдопереводчика", "Sign language interpreting"),
    ("social_taxi", "Әлеуметтік такси", "Социальное такси", "Social taxi"),
    ("family_support", "Отбасын қолдау", "Поддержка семьи", "Family support"),
    (
        "active_longevity",
        "Белсенді ұзақ өмір (зейнеткерлерге)",
        "Активное долголетие (для пенсионеров)",
        "Active longevity (for pensioners)",
    ),
    ("employment_help", "Жұмысқа орналасуға көмек", "Помощь в трудоустройстве", "Help finding work"),
    ("technical_aids", "Техникалық көмекші құралдар", "Технические средства реабилитации", "Technical aids"),
]

CATALOGUE: dict[str, list[tuple[str, str, str, str]]] = {
    "setting": SETTINGS,
    "type": TYPES,
    "need": NEEDS,
}
