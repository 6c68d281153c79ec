"""Names across scripts on the demo articles: every spelling of every person,
place and agency they name (tests/search/names.py), searched in all languages.

Measured 2026-12-01, before the names field (plain per-language analysis):
precision 0.98, recall 0.30; with it: see the thresholds below and the README.
"""

import pytest

from search import SearchEngine

from .names import LANGUAGES, NAMES, figures, judge


@pytest.fixture(scope="module")
def judged(demo_index):
    engine = SearchEngine(demo_index)
    return judge(lambda text: {r["id"][:3] for r in engine.search(text, per_page=10)["results"]})


def of_kind(judged, kind):
    return [j for j in judged if j.name.kind == kind]


@pytest.mark.parametrize("name", ["Andrei Belousov (surname)", "Sergei Lavrov (surname)", "Kursk", "Vladimir Putin (surname)"])
def test_every_spelling_finds_all_and_only_the_articles_naming_it(judged, name):
    for j in judged:
        if j.name.name == name:
            assert j.found == j.name.relevant, (j.lang, j.spelling)


def test_transliterated_names(judged):
    measured = figures(of_kind(judged, "transliterated"))
    assert measured["precision"] == 1.0
    # misses: Πεντάγωνο (Greek native word), Ρόιτερς/Рейтер (eu/oi), Kyiv
    # (Ukrainian, the others from Russian), Nordkorea (a German compound), Szöuli
    assert measured["recall"] >= 0.95
    assert measured["exact"] >= 0.85


def test_all_names(judged):
    measured = figures(judged)
    # Korean names are transcribed from Korean by each language's own rules,
    # exonyms in Hungarian and English have no dictionary: both stay partly
    # out of reach; precision is lost only to spelling correction (Choe → Chol)
    assert measured["precision"] >= 0.99
    assert measured["recall"] >= 0.75


def test_exonyms_are_found_through_their_translations(judged):
    """Moskau, Москва and Μόσχα are other words, not spellings of one: the
    dictionaries translate them (German, Greek and Russian; 0.38 recall with
    the key alone)."""
    measured = figures(of_kind(judged, "exonym"))
    assert measured["precision"] == 1.0
    assert measured["recall"] >= 0.6
    found = {j.spelling: j.found for j in of_kind(judged, "exonym")}
    assert found["Moskau"] >= {"000", "001", "002", "003"}  # the German and the Greek articles
    assert found["Москва"] == {"000", "001", "002", "003", "004"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_spelling_convention_is_left_behind(judged, lang):
    measured = figures([j for j in judged if j.lang == lang and j.name.kind == "transliterated"])
    assert measured["recall"] >= 0.85, lang


def test_the_set_names_every_demo_article():
    assert {doc for name in NAMES for doc in name.relevant} == {"000", "001", "002", "003", "004"}


def test_common_words_do_not_match_across_languages_through_the_key(demo_index):
    """The 200 most frequent lower-case words of the demo articles (four
    letters or more, no stop words), each searched in all languages without
    translation (which is meant to cross languages; see
    tests/search/test_translate.py): none may find an article that lacks it
    in its own language, except words that are the same word (november) or
    made of a name (koreai, "Korean"; ukrán, "Ukrainian")."""
    import collections
    import re

    from index.analysis import fold
    from index.analysis.stopwords import stoplist
    from index.language import script_of
    from tests.conftest import SEEDS

    article_lang = {"000": "el", "001": "el", "002": "de", "003": "el", "004": "hu"}
    script = {"el": "Greek", "de": "Latin", "hu": "Latin"}
    words = collections.Counter()
    for path in SEEDS:
        lang = article_lang[path.name[:3]]
        for word in re.findall(r"\w+", path.read_text(encoding="utf-8")):
            if (
                word.isalpha() and word.islower() and len(word) >= 4 and script_of(word) == script[lang]
                and fold(word) not in stoplist(lang) and word not in stoplist(lang)
            ):
                words[lang, word] += 1
    engine = SearchEngine(demo_index, translate=False)
    crossing = set()
    for lang, word in [key for key, _ in words.most_common(200)]:
        everywhere = {r["id"] for r in engine.search(word)["results"]}
        own_language = {r["id"] for r in engine.search(word, langs=[lang])["results"]}
        if everywhere - own_language:
            crossing.add(word)
    assert crossing <= {"koreai", "november", "ukrán"}
