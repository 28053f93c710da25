"""The crawl's rule (what a Kazakh reader would not read as Kazakh) and the README's table
of demo users; the checks that use them on a demo database are `demo_checks.py`'s, run by
`test_demo.py` on the demo it builds."""

from __future__ import annotations

from qoldau.console.tests.demo_checks import readme_users
from qoldau.console.tests.language_crawl import latin_words


def test_the_crawls_rule_flags_english_and_passes_names_and_codes():
    assert {"courses", "guest", "house"} <= set(
        latin_words("Week-long residential courses at the guest house")
    )
    assert latin_words("Өлшем, m") == ["m"]
    assert latin_words("person.delivery_list") == []  # a code: not a word, and shown as one
    assert latin_words("«Isker Isi» жобасы, Qoldau, API, JOBCOACH, 1234-K7Q2MX") == []
    assert latin_words("Аудан: Almaly") == []  # a name
    assert latin_words("IT мамандары, it is") == ["it", "is"]  # the abbreviation, not the word
    assert latin_words("Source: Ministry of Labour") == ["Source", "of"]


def test_the_readme_table_is_read_whole():
    names = readme_users()
    assert {"admin", "contest.almaty.member2", "jobseeker.citizen", "+7 701 000 20 25"} <= set(names)
