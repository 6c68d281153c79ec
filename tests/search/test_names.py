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
    # exonyms (Moskau, Moszkva, Москва) are other words: both stay partly
    # out of reach; precision is lost only to spelling correction (Choe → Chol)
    assert measured["precision"] >= 0.98
    assert measured["recall"] >= 0.65


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_spelling_convention_is_left_behind(judged, lang):
    measured = figures([j for j in judged if j.lang == lang and j.name.kind == "transliterated"])
    assert measured["recall"] >= 0.85, lang


def test_the_set_names_every_demo_article():
    assert {doc for name in NAMES for doc in name.relevant} == {"000", "001", "002", "003", "004"}
