"""Text normalisation for the answering engine: the way people really write, made comparable.

Kazakh, Russian and English text is reduced to matching tokens by the same functions on both
sides (the articles when the index is built, the message when it is asked):

- clean-up: Unicode NFC, control characters and unpaired surrogates removed, lower case;
- Kazakh in Latin letters → Cyrillic: the 2018 acute-accent alphabet (á ó ú ǵ ń ı ý q sh ch),
  the 2021 alphabet with umlauts and cedillas (ä ö ü ş ğ ñ ç ū) and the informal
  transliteration people type on phones (zh/j → ж, sh, ch, kh, q/k → қ/к, g → г, u, o, a, i);
- folding: the Kazakh letters to their Russian look-alikes (ә→а, ө→о, ү/ұ→у, қ→к, ң→н,
  ғ→г, і→и, һ→х, plus ё→е, й→и and the soft and hard signs dropped), because phones
  without a Kazakh layout type «мугедектик» for «мүгедектік»;
- stemming: Russian and English with the Snowball stemmers (PyStemmer), Kazakh with a light
  suffix stripper (plural, possessive, case and a few derivational endings, longest first,
  keeping a stem of at least three letters);
- stopwords for the three languages.

Everything here is pure Python and deterministic; nothing is downloaded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

import Stemmer  # type: ignore[import-not-found]

Lang = Literal["kk", "ru", "en"]
Script = Literal["cyrillic", "latin", "mixed", "none"]

MAX_MESSAGE_CHARS = 2000

# Letters that exist in Kazakh Cyrillic and not in Russian.
KAZAKH_LETTERS = frozenset("әөүұқңғіһ")
# Latin letters that mark Kazakh in one of the official Latin alphabets.
KAZAKH_LATIN_MARKS = frozenset("áóúǵńıýäöüşğñçū")

_FOLD = str.maketrans(
    {
        "ә": "а",
        "ө": "о",
        "ү": "у",
        "ұ": "у",
        "қ": "к",
        "ң": "н",
        "ғ": "г",
        "і": "и",
        "һ": "х",
        "ё": "е",
        "й": "и",
        "ь": None,
        "ъ": None,
    }
)

# Latin letters that look like Cyrillic ones, for words typed with both (e.g. «мугедектiк»).
_HOMOGLYPHS = str.maketrans(
    {
        "a": "а",
        "c": "с",
        "e": "е",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
        "i": "і",
        "k": "к",
        "m": "м",
        "t": "т",
        "h": "һ",
        "b": "в",
    }
)

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-zA-Z\u00c0-\u024f]")

# ----------------------------------------------------------------------------------------------
# Clean-up and script


def clean(text: str) -> str:
    """Make any input safe to analyse: NFC, no control characters or lone surrogates, at most
    MAX_MESSAGE_CHARS characters, whitespace collapsed."""
    text = text[: MAX_MESSAGE_CHARS * 2]
    text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C" and char not in "\t\n\r":
            # Control, format (zero-width joiners of emoji), surrogate, private use, unassigned.
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_MESSAGE_CHARS]


MAX_WORD_CHARS = 40


def tokenize(text: str) -> list[str]:
    """Lower-cased words (letters and digits, inner apostrophes kept); "words" longer than
    MAX_WORD_CHARS are noise and left out."""
    # Turkish İ lower-cases to i + combining dot; a typographic apostrophe is the typed one.
    lowered = text.lower().replace("\u0307", "").replace("’", "'")
    return [word for word in _TOKEN_RE.findall(lowered) if len(word) <= MAX_WORD_CHARS]


def word_script(word: str) -> Script:
    has_cyrillic = bool(_CYRILLIC_RE.search(word))
    has_latin = bool(_LATIN_RE.search(word))
    if has_cyrillic and has_latin:
        return "mixed"
    if has_cyrillic:
        return "cyrillic"
    if has_latin:
        return "latin"
    return "none"


def detect_script(text: str) -> Script:
    """The script of a message: cyrillic, latin, mixed (both) or none (digits, emoji, empty)."""
    scripts = {word_script(word) for word in tokenize(text)} - {"none"}
    if not scripts:
        return "none"
    if len(scripts) == 1:
        return scripts.pop()
    return "mixed"


def has_kazakh_letters(word: str) -> bool:
    return any(char in KAZAKH_LETTERS for char in word)


def fix_mixed_script(word: str) -> str:
    """A word typed with both Latin and Cyrillic letters: the Latin look-alikes become Cyrillic."""
    if word_script(word) != "mixed":
        return word
    return word.translate(_HOMOGLYPHS)


# ----------------------------------------------------------------------------------------------
# Kazakh Latin → Cyrillic

_LatinMode = Literal["acute", "umlaut", "informal"]

_COMMON_LATIN: dict[str, str] = {
    "shch": "щ",
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "kh": "х",
    "gh": "ғ",
    "a": "а",
    "b": "б",
    "c": "с",
    "d": "д",
    "e": "е",
    "é": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "t": "т",
    "v": "в",
    "w": "у",
    "x": "х",
    "z": "з",
    "á": "ә",
    "ä": "ә",
    "ó": "ө",
    "ö": "ө",
    "ú": "ү",
    "ü": "ү",
    "ǵ": "ғ",
    "ğ": "ғ",
    "ń": "ң",
    "ñ": "ң",
    "ş": "ш",
    "ç": "ч",
    "ý": "у",
    "ū": "у",
    "'": "",
    "’": "",
}

_MODE_LATIN: dict[_LatinMode, dict[str, str]] = {
    # 2018 alphabet with acute accents: I i = І, I ı = И/Й, Y y = Ы, U u = Ұ, Ý ý = У.
    "acute": {"i": "і", "ı": "и", "y": "ы", "u": "ұ"},
    # 2021 alphabet: İ i = І, I ı = Ы, Y y = Й (ы after a consonant, see below), U u = Ұ, Ū ū = У.
    "umlaut": {"i": "і", "ı": "ы", "y": "й", "u": "ұ"},
    # Informal phone transliteration: i for и/і, y for ы (or й), u for у/ұ/ү, ya/yu for я/ю.
    # kh is қ here («zhardemakhy»): х is rare in Kazakh words.
    "informal": {"i": "и", "ı": "и", "y": "ы", "u": "у", "ya": "я", "yu": "ю", "kh": "қ"},
}


_LATIN_VOWELS = frozenset("aeiouyáäóöúüıūýé")


@cache
def _latin_table(mode: _LatinMode) -> tuple[dict[str, str], int]:
    table = {**_COMMON_LATIN, **_MODE_LATIN[mode]}
    return table, max(len(key) for key in table)


def latin_mode(text: str) -> _LatinMode:
    """Which Kazakh Latin alphabet a text is written in (by its marked letters)."""
    lowered = text.lower()
    if any(char in "äöüşğñçū" for char in lowered):
        return "umlaut"
    if any(char in "áóúǵńıý" for char in lowered):
        return "acute"
    return "informal"


def latin_to_cyrillic(text: str, mode: _LatinMode | None = None) -> str:
    """Kazakh written in Latin letters, in Cyrillic: «Múgedektik» → «мүгедектік»,
    «mugedektik» → «мугедектик», «Qazaqstan» → «қазақстан». Other characters are kept."""
    lowered = unicodedata.normalize("NFC", text.lower()).replace("\u0307", "")
    table, longest = _latin_table(mode or latin_mode(lowered))
    out: list[str] = []
    position = 0
    umlaut = (mode or latin_mode(lowered)) == "umlaut"
    while position < len(lowered):
        if umlaut and lowered[position] == "y":
            # 2021: y is й; people who also write y for ы put it after a consonant.
            after_vowel = position > 0 and lowered[position - 1] in _LATIN_VOWELS
            before_vowel = position + 1 < len(lowered) and lowered[position + 1] in _LATIN_VOWELS
            out.append("й" if after_vowel and not before_vowel else "ы")
            position += 1
            continue
        for size in range(longest, 0, -1):
            piece = lowered[position : position + size]
            if piece in table:
                out.append(table[piece])
                position += size
                break
        else:
            out.append(lowered[position])
            position += 1
    return "".join(out)


# ----------------------------------------------------------------------------------------------
# Folding and stemming


def fold(word: str) -> str:
    """Kazakh letters → Russian look-alikes (and ё→е, й→и, no soft or hard sign), lower case."""
    return word.lower().translate(_FOLD)


_RU_STEMMER = Stemmer.Stemmer("russian")
_EN_STEMMER = Stemmer.Stemmer("english")


@cache
def stem_russian(word: str) -> str:
    """Snowball Russian stem of a Cyrillic word, folded."""
    return fold(str(_RU_STEMMER.stemWord(word.lower().replace("ё", "е"))))


# The articles are written in British English; people also write American spellings and
# irregular plurals the Snowball stemmer leaves apart («program» vs «programme», «children» vs
# «child»). Both sides go through `stem_english`, so mapping the variants to one form is enough.
_EN_VARIANTS: dict[str, str] = {
    "program": "programme",
    "programs": "programmes",
    "center": "centre",
    "centers": "centres",
    "counseling": "counselling",
    "counselor": "counsellor",
    "counselors": "counsellors",
    "enroll": "enrol",
    "enrolling": "enrol",
    "enrollment": "enrolment",
    "enrolled": "enrol",
    "travelling": "travel",
    "traveling": "travel",
    "traveller": "travel",
    "traveler": "travel",
    "license": "licence",
    "defense": "defence",
    "labor": "labour",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "color": "colour",
    "favor": "favour",
    "fulfill": "fulfil",
    "flat": "apartment",
    "flats": "apartments",
    "children": "child",
    "childrens": "child",
    "kids": "child",
    "kid": "child",
    "women": "woman",
    "men": "man",
    "people": "person",
    "persons": "person",
    "mom": "mother",
    "mum": "mother",
    "mommy": "mother",
    "mummy": "mother",
    "mama": "mother",
    "dad": "father",
    "daddy": "father",
    "papa": "father",
    "grandma": "grandmother",
    "granny": "grandmother",
    "grandpa": "grandfather",
}
# «-ize/-yze» (American) → «-ise/-yse»; the length guard keeps «size», «prize», «seize» apart.
_EN_IZE = re.compile(r"(?<=\w{3})([iy])z(e|ed|es|ing|ation|ations|er|ers)$")


@cache
def stem_english(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    word = _EN_VARIANTS.get(word, word)
    word = _EN_IZE.sub(r"\1s\2", word)
    return str(_EN_STEMMER.stemWord(word))


# Kazakh endings in their folded form (ң→н, і→и, ғ→г, қ→к, ә→а, ө→о, ү/ұ→у), by slot in the
# order they are stripped from the end of a word (root + derivation + plural + possessive + case).
def _longest_first(suffixes: str) -> tuple[str, ...]:
    return tuple(sorted(set(suffixes.split()), key=lambda suffix: (-len(suffix), suffix)))


_KAZAKH_SLOTS: tuple[tuple[str, ...], ...] = (
    # case endings: dative, locative, ablative, genitive, accusative, instrumental
    _longest_first(
        "га ге ка ке на не да де та те нда нде нан нен дан ден тан тен "
        "нын нин дын дин тын тин ны ни ды ди ты ти мен бен пен"
    ),
    # possessive: -ым/-ім/-ың/-ің/-ы/-і/-сы/-сі, -мыз/-ңыз …
    _longest_first("ым им ын ин ы и сы си ымыз имиз ыныз иниз мыз миз ныз низ"),
    # plural
    _longest_first("лар лер дар дер тар тер"),
    # derivational: -лық/-лік (…ness), -сыз/-сіз (without), -шы/-ші (agent)
    _longest_first("лык лик дык дик тык тик сыз сиз шы ши"),
    # a final ы/і left over («жәрдемақы» and «жәрдемақысы» share «жардемак»)
    ("ы", "и"),
)
# Verbal nouns and participles (-у, -уға, -ған/-ген/-қан/-кен): stripped alone.
_KAZAKH_VERBAL = _longest_first("у уга уге ган ген кан кен")

MIN_KAZAKH_STEM = 3
_VOICED_FINAL = {"г": "к", "б": "п"}


def _strip(stem: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_KAZAKH_STEM:
            stem = stem[: -len(suffix)]
            if stem[-1] in _VOICED_FINAL:
                stem = stem[:-1] + _VOICED_FINAL[stem[-1]]
            return stem
    return stem


@cache
def stem_kazakh(word: str) -> str:
    """Light Kazakh suffix stripping on the folded word: at most one ending of each slot (case,
    possessive, plural, derivation), longest first, while at least MIN_KAZAKH_STEM letters stay;
    a verbal noun only loses its -у/-ған. A final г/б (voiced before a vowel ending: «кітабы»,
    «мүгедектігі») goes back to к/п."""
    stem = fold(word)
    verbal = _strip(stem, _KAZAKH_VERBAL)
    if verbal != stem:
        return verbal
    for suffixes in _KAZAKH_SLOTS:
        stem = _strip(stem, suffixes)
    return stem


def cyrillic_stems(word: str) -> list[str]:
    """Matching tokens of one Cyrillic word: the Kazakh stem, and also the Russian stem when the
    word has no letter only Kazakh has (it may be Russian, or Kazakh typed without them)."""
    if word.isdigit():
        return [word]
    kazakh = stem_kazakh(word)
    if has_kazakh_letters(word):
        return [kazakh]
    russian = stem_russian(word)
    return [kazakh] if russian == kazakh else [kazakh, russian]


def char_ngrams(word: str, sizes: tuple[int, ...] = (3, 4)) -> list[str]:
    """Character n-grams of a word with boundary marks: «#мугед», «ugede», …"""
    marked = f"#{word}#"
    grams: list[str] = []
    for size in sizes:
        if len(marked) < size:
            continue
        grams.extend(marked[start : start + size] for start in range(len(marked) - size + 1))
    return grams


# ----------------------------------------------------------------------------------------------
# Stopwords (surface forms; compared after folding for Kazakh and Russian)

_KAZAKH_STOPWORDS = """
мен сен ол біз сіз сендер олар маған саған оған бізге сізге оларға мені сені оны бізді сізді
менің сенің оның біздің сіздің олардың өз өзім өзің өзі өзіміз өзіңіз және мен бен пен да де
та те ма ме ба бе па пе ғой қой ғана тек әлде немесе бірақ егер үшін деп дейін кейін соң сияқты
туралы бойынша арқылы бар жоқ бұл осы сол анау мынау бір екі үш не неге неше қалай
қанша қашан қайда қайдан қай қандай кім кімге нені керек па ма ба бола болады болса бола ма
ия иә жоқ әр барлық бәрі еді екен емес ғой ау ей иа
"""
_RUSSIAN_STOPWORDS = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
им более всегда конечно всю между мою сколько какие нужно нужен нужна нужны ещё это мой моя мои
моего моей моему вы ваш ваша ваше ваши я мы мне нам нас меня как какой какая какие каким
"""
_ENGLISH_STOPWORDS = """
a an the and or but if of to in on at by for with about from into over under up down out off is
are was were be been being am do does did doing have has had having i me my mine myself we us our
you your yours he him his she her it its they them their what which who whom whose this that
these those there here when where why how all any both each few more most other some such no nor
not only own same so than too very can could will would shall should may might must just s t
don't doesn't isn't aren't can't i'm it's im dont cant get got as even also please any
won't wasn't weren't hasn't haven't hadn't didn't shouldn't couldn't wouldn't mustn't needn't
i've i'd i'll you're you've you'd you'll we're we've we'd we'll they're they've they'd they'll
he's she's that's what's where's who's there's here's how's let's doesnt isnt arent didnt wasnt
hasnt havent couldnt wouldnt shouldnt ive youre theyre whats thats theres hows u ur pls plz
"""

KAZAKH_STOPWORDS = frozenset(fold(word) for word in _KAZAKH_STOPWORDS.split())
RUSSIAN_STOPWORDS = frozenset(fold(word) for word in _RUSSIAN_STOPWORDS.split())
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split())
CYRILLIC_STOPWORDS = KAZAKH_STOPWORDS | RUSSIAN_STOPWORDS


def is_stopword(folded_or_english: str) -> bool:
    return folded_or_english in CYRILLIC_STOPWORDS or folded_or_english in ENGLISH_STOPWORDS
