"""Normalisation: Kazakh Latin → Cyrillic in both official alphabets and the informal one,
folding, stemming, Kazakh suffixes, script detection and clean-up."""

from __future__ import annotations

import pytest

from qoldau.consult.engine.normalise import (
    MAX_MESSAGE_CHARS,
    char_ngrams,
    clean,
    cyrillic_stems,
    detect_script,
    fix_mixed_script,
    fold,
    latin_mode,
    latin_to_cyrillic,
    stem_english,
    stem_kazakh,
    stem_russian,
    tokenize,
)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # 2018 alphabet with acute accents
        ("Múgedektik", "мүгедектік"),
        ("Qazaqstan", "қазақстан"),
        ("áleýmettik kómek", "әлеуметтік көмек"),
        ("jeke kómekshi", "жеке көмекші"),
        ("ǵımarat", "ғимарат"),
        ("kúnderi", "күндері"),
        ("Balalarǵa arnalǵan", "балаларға арналған"),
        ("qalaı", "қалаи"),
        # 2021 alphabet with umlauts and cedillas: ı is ы, y is й
        ("mügedektik", "мүгедектік"),
        ("şağym", "шағым"),
        ("oñaltū", "оңалту"),
        ("şağym qanday", "шағым қандай"),
        ("üy", "үй"),
        ("ömir", "өмір"),
        ("balalarğa", "балаларға"),
        ("turğın", "тұрғын"),
        # informal phone transliteration
        ("zhardemakhy", "жардемақы"),
        ("mugedektik", "мугедектик"),
        ("shagym", "шагым"),
        ("boiynsha", "боиынша"),
        ("chto", "что"),
    ],
)
def test_kazakh_latin_becomes_cyrillic(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


def test_the_alphabet_is_recognised_by_its_marked_letters():
    assert latin_mode("Múgedektik") == "acute"
    assert latin_mode("mügedektik") == "umlaut"
    assert latin_mode("mugedektik") == "informal"


def test_all_latin_spellings_fold_to_the_same_word_as_cyrillic():
    cyrillic = fold("мүгедектік")
    assert cyrillic == "мугедектик"
    for spelling in ("Múgedektik", "mügedektik", "mugedektik", "мугедектик"):
        assert fold(latin_to_cyrillic(spelling)) == cyrillic


def test_folding_maps_kazakh_letters_to_russian_look_alikes():
    assert fold("әөүұқңғіһ") == "аоуукнгих"
    assert fold("ЖӘРДЕМАҚЫ") == "жардемакы"
    assert fold("ещё пособий") == "еще пособии"


def test_russian_stemming_joins_word_forms():
    assert stem_russian("инвалидности") == stem_russian("инвалидность") == stem_russian("инвалидностью")
    assert stem_russian("пособия") == stem_russian("пособие")


def test_english_stemming_joins_word_forms():
    assert stem_english("disabilities") == stem_english("disability")
    assert stem_english("wheelchairs") == stem_english("wheelchair")
    assert stem_english("child's") == stem_english("child")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        # American spellings against the British ones of the articles
        ("program", "programme"),
        ("centers", "centres"),
        ("counseling", "counselling"),
        ("enroll", "enrol"),
        ("recognized", "recognised"),
        ("organization", "organisation"),
        ("paralyzed", "paralysed"),
        # irregular plurals and family words the stemmer leaves apart
        ("children", "child"),
        ("kids", "child"),
        ("mum", "mother"),
        ("mom", "mother"),
        ("flat", "apartment"),
    ],
)
def test_english_variants_meet_the_articles_wording(typed, written):
    assert stem_english(typed) == stem_english(written)


def test_short_ize_words_are_not_respelled():
    assert stem_english("size") == "size"
    assert stem_english("prize") == "prize"


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("мүгедектерге", "мугедек"),  # plural + dative
        ("мүгедектік", "мугедек"),  # -лық/-лік derivation
        ("мүгедектігі", "мугедек"),  # + possessive, к voiced to г and back
        ("балаларға", "бала"),
        ("балалардың", "бала"),
        ("топқа", "топ"),
        ("емханадан", "емхана"),
        ("кітабы", "китап"),
        ("жәрдемақысы", "жардемак"),
        ("жәрдемақы", "жардемак"),
        ("рәсімдеуге", "расимде"),  # verbal noun + dative: only that goes
    ],
)
def test_kazakh_suffixes_are_stripped(word, stem):
    assert stem_kazakh(word) == stem


def test_kazakh_stems_keep_at_least_three_letters():
    assert stem_kazakh("ана") == "ана"
    assert stem_kazakh("алу") == "алу"
    assert len(stem_kazakh("үйге")) >= 3


def test_a_word_without_kazakh_letters_gets_both_stems():
    assert cyrillic_stems("пособие") == ["пособие", "пособ"]
    assert cyrillic_stems("жәрдемақы") == ["жардемак"]  # only Kazakh has ә and қ


def test_script_detection():
    assert detect_script("мүгедектік") == "cyrillic"
    assert detect_script("disability") == "latin"
    assert detect_script("ВТЭК деген не, what is it") == "mixed"
    assert detect_script("😀 123 !!!") == "none"
    assert detect_script("") == "none"


def test_words_typed_in_two_scripts_are_repaired():
    # Latin i, a, e inside a Cyrillic word, as phones and old keyboards produce.
    assert fold(fix_mixed_script("мугедектiк")) == "мугедектик"
    assert fix_mixed_script("пособие") == "пособие"


def test_clean_removes_control_characters_and_truncates():
    assert clean("a\x00b\x07c\u200bd") == "a b c d"
    assert clean("  \n\t ") == ""
    assert len(clean("ж" * 10_000)) == MAX_MESSAGE_CHARS
    assert clean("\ud800 lone surrogate") == "? lone surrogate"


def test_tokenize_lowers_and_keeps_inner_apostrophes():
    assert tokenize("Don't STOP, 031/у!") == ["don't", "stop", "031", "у"]
    # A phone's typographic apostrophe reads as the typed one (so «won’t» is a stopword too).
    assert tokenize("won’t") == ["won't"]


def test_char_ngrams_mark_word_boundaries():
    assert char_ngrams("топ") == ["#то", "топ", "оп#", "#топ", "топ#"]
