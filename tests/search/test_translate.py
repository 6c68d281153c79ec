"""Query translation: golden translations from the installed dictionaries,
and a German query finding Russian and Greek articles through the real engine."""

import json
import logging

import pytest

from index.analysis import query_terms
from search import SearchEngine, translate
from search.translate import load

from .test_dictionaries import ENTRIES, write_dictd


@pytest.fixture(scope="module")
def translations():
    found = translate.translations()
    assert found is not None, "the FreeDict dictionaries are missing: run `make system-deps` as root"
    return found


def translated(translations, lang, word):
    (term,) = query_terms(lang, word)
    return translations.of(lang, term)


# word → the index terms of its translations, per language (the Greek ones are stems)
GOLDEN = [
    ("de", "Moskau", "ru", {"москва"}),
    ("de", "Moskau", "el", {"μοσχ"}),  # Μόσχα
    ("de", "Regierung", "ru", {"правительство"}),
    ("de", "Regierung", "el", {"κυβερνησ"}),  # κυβέρνηση
    ("de", "Regierungen", "ru", {"правительство"}),  # any form of the word
    ("de", "Häuser", "ru", {"дом"}),
    ("de", "Gesetz", "ru", {"закон"}),
    ("de", "Minister", "el", {"υπουργ"}),  # υπουργός
    ("de", "führte", "ru", {"вести"}),  # the stem fuhrt looked up as führen's fuhr
    ("de", "liegt", "ru", {"лежать"}),  # liegen
    ("ru", "правительства", "de", {"regier"}),  # inverted: Russian to German
    ("ru", "Москве", "el", {"μοσχ"}),  # inverted Greek-Russian
    ("el", "κυβέρνησης", "ru", {"правительство"}),
    ("el", "Μόσχα", "de", {"moskau"}),
]


@pytest.mark.parametrize("lang,word,target,expected", GOLDEN)
def test_golden_translations(translations, lang, word, target, expected):
    assert expected <= set(translated(translations, lang, word).get(target, ())), (word, target)


def test_stop_words_are_not_translated(index_dir, translations):
    from search.expand import expand
    from search.parse import parse

    engine = SearchEngine(index_dir)
    expansion = expand(
        engine._current().searcher, parse("die Regierung und Gesetz"), fallback=True, translations=translations
    )
    cyrillic = {term for term in expansion.terms["ru"] if term.isalpha() and not term.isascii()}
    assert cyrillic == {"правительство", "закон", "правило", "законный"}


def test_an_untranslated_german_compound_is_translated_by_its_parts(index_dir, translations):
    from search.expand import expand
    from search.parse import parse

    assert translated(translations, "de", "Regierungsgesetz") == {}  # not in the dictionaries
    expansion = expand(SearchEngine(index_dir)._current().searcher, parse("Regierungsgesetz"), translations=translations)
    assert {"правительство", "закон"} <= expansion.terms["ru"]
    assert ids(SearchEngine(index_dir).search("Regierungsgesetz")) == {"ru", "el"}  # the German article has no such compound


def test_a_term_with_too_many_translations_is_not_translated(translations):
    assert all(
        len(found) <= translate.MAX_TRANSLATIONS for terms in translations.table.values() for found in terms.values()
    )


def test_missing_dictionaries_turn_translation_off_logged_once(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(translate, "DICTIONARY_DIR", tmp_path / "none")
    monkeypatch.setattr(translate, "CACHE_DIR", tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="search.translate"):
        assert translate.translations() is None
        assert translate.translations() is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == len(translate.DICTIONARIES)  # one per dictionary, the first time only
    assert all("SEARCH_DICTIONARY_DIR" in message and "dict-freedict-" in message for message in warnings)


def test_one_dictionary_serves_both_directions_and_is_cached(tmp_path):
    write_dictd(tmp_path, "freedict-deu-rus", ENTRIES)
    built = load(tmp_path, cache_dir=tmp_path / "cache")
    assert set(built.table) == {("de", "ru"), ("ru", "de")}
    assert built.of("de", "regier") == {"ru": ("правительство",)}
    assert built.of("ru", "правительство") == {"de": ("regier",)}
    (cached,) = (tmp_path / "cache").glob("translations-*.json")
    assert load(tmp_path, cache_dir=tmp_path / "cache").table == built.table
    # another dictionary is another cache entry
    write_dictd(tmp_path, "freedict-deu-rus", {"regierung": ENTRIES["regierung"]})
    assert load(tmp_path, cache_dir=tmp_path / "cache").of("de", "bestimmt") == {}
    assert len(list((tmp_path / "cache").glob("translations-*.json"))) == 2
    # a damaged cache is built again
    damaged = tmp_path / "cache" / f"translations-{translate.cache_key(tmp_path)}.json"
    damaged.write_text('{"not": "a table"}', encoding="utf-8")
    assert load(tmp_path, cache_dir=tmp_path / "cache").of("de", "regier") == {"ru": ("правительство",)}
    assert cached.exists()


# Three articles on one story and one on another: no name, number or shared word between the languages.
ARTICLES = [
    {"id": "de", "lang": "de", "body": "Die Regierung hat gestern das neue Gesetz über die Steuern beschlossen."},
    {"id": "ru", "lang": "ru", "body": "Правительство вчера приняло новый закон о налогах."},
    {"id": "el", "lang": "el", "body": "Η κυβέρνηση ψήφισε χθες τον νέο νόμο για τους φόρους."},
    {"id": "ru-other", "lang": "ru", "body": "Футбольная команда выиграла матч в воскресенье."},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    from index.writer import build

    directory = tmp_path_factory.mktemp("translate")
    path = directory / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES), encoding="utf-8")
    build([path], directory / "index")
    return directory / "index"


def ids(result, all_words=False):
    results = result["results"][: result["total_all_words"]] if all_words else result["results"]
    return {r["id"] for r in results}


def test_a_german_query_finds_the_russian_and_greek_articles(index_dir, translations):
    engine = SearchEngine(index_dir)
    assert ids(engine.search("Regierung"), all_words=True) == {"de", "ru", "el"}
    # with more words, translations count among the best partial matches
    result = engine.search("Regierung Gesetz")
    assert ids(result, all_words=True) == {"de"}
    assert ids(result) == {"de", "ru", "el"}
    assert result["results"][0]["id"] == "de"
    # without translation, only the German one
    assert ids(SearchEngine(index_dir, translate=False).search("Regierung Gesetz")) == {"de"}


def test_russian_and_greek_queries_find_the_other_two(index_dir, translations):
    engine = SearchEngine(index_dir)
    assert ids(engine.search("закон")) == {"de", "ru", "el"}
    assert ids(engine.search("κυβέρνηση")) == {"de", "ru", "el"}


def test_a_language_filter_asks_for_that_language_only(index_dir, translations):
    assert ids(SearchEngine(index_dir).search("Regierung", langs=["ru"])) == set()


def test_translated_matches_are_marked_in_the_passages(index_dir, translations):
    results = {r["id"]: r for r in SearchEngine(index_dir).search("Regierung Gesetz")["results"]}
    (russian,) = results["ru"]["snippets"]
    assert [russian["text"][start:end] for start, end in russian["matches"]] == ["Правительство", "закон"]
    assert "<mark>κυβέρνηση</mark>" in results["el"]["snippets"][0]["html"]
    assert "<mark>νόμο</mark>" in results["el"]["snippets"][0]["html"]
