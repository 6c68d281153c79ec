"""The completion table: a common beginning's precomputed answer is the one
the suggester gives at request time, and each index version uses its own."""

import random
import unicodedata
from contextlib import nullcontext

import pytest

from index.analysis import fold
from index.schema import term_text
from index.store import IndexStore
from index.writer import add, build, remove
from search import SearchEngine, completions, suggest
from search.scoring import news_weighting
from search.suggest import Suggester, word_fields
from tests.conftest import DATA, seed
from tests.corpus import write_jsonl


@pytest.fixture
def few_articles(monkeypatch):
    """The fixtures are small: with these thresholds most of their beginnings are common."""
    monkeypatch.setattr(suggest, "COMMON_WORDS", 1)
    monkeypatch.setattr(suggest, "COMMON_TITLE_COMPLETIONS", 1)
    monkeypatch.setattr(suggest, "COMMON_TITLE_POSTINGS", 1)
    monkeypatch.setattr(suggest, "KNOWN_SHOWN", 2)


@pytest.fixture
def small_index(tmp_path, few_articles):
    """The demo articles (with titles) and 40 more made of their paragraphs."""
    index_dir = tmp_path / "index"
    build([DATA, write_jsonl(tmp_path / "more.jsonl", 40)], index_dir)
    return index_dir


def live_table(index_dir):
    store = IndexStore(index_dir)
    ix = store.open_live()
    try:
        return completions.load(store.live_generation(), ix.latest_generation())
    finally:
        ix.close()


def request_time_suggester(engine):
    """A suggester on the engine's searcher without a table: today's walk."""
    return Suggester(engine._current().searcher)


def typed_beginnings(suggester, count, seed=6):
    """What readers type: beginnings of the index's words, as written (accents),
    capitalised, folded, and after a word of context."""
    reader = suggester.reader
    terms = sorted({term_text(term) for field in word_fields(reader.schema) for term in reader.lexicon(field)})
    shown = [suggester.shown_form(term) for term in terms]
    beginnings = set()
    for word in shown:
        for length in (2, 3, 4, 6):
            beginnings |= {word[:length], word[:length].capitalize(), fold(word[:length])}
    rng = random.Random(seed)
    sample = rng.sample(sorted(beginnings), count)
    return sample + [f"{rng.choice(shown)} {beginning}" for beginning in sample[:40]]


def test_a_build_writes_the_table_of_its_generation(small_index):
    table = live_table(small_index)
    assert table is not None
    scripts = {unicodedata.name(beginning[0]).split()[0] for beginning in table["words"]}
    assert {"LATIN", "GREEK", "CYRILLIC"} <= scripts
    assert table["titles"] and all(len(titles) <= suggest.MAX_TITLES for titles in table["titles"].values())
    assert all(len(b) >= suggest.MIN_PREFIX for b in (*table["words"], *table["titles"]))
    # the shown forms of frequent words, as looking them up gives them
    assert any(shown != folded for folded, shown in table["shown"].items())


def test_the_table_holds_what_the_suggester_computes_at_request_time(small_index):
    table = live_table(small_index)
    with nullcontext(SearchEngine(small_index)) as engine:
        walk = request_time_suggester(engine)
        for beginning, words in table["words"].items():
            assert words == walk.words(beginning, suggest.KEPT_WORDS), beginning
        for beginning, titles in table["titles"].items():
            assert titles == walk._titles("", beginning), beginning
        assert table["shown"] == {folded: walk.shown_form(folded) for folded in table["shown"]}


def test_answers_with_the_table_are_those_without(small_index):
    """Short and long beginnings, accents, capitals, Greek and Cyrillic, a context word."""
    table = live_table(small_index)
    with nullcontext(SearchEngine(small_index)) as engine:
        walk = request_time_suggester(engine)
        typed = typed_beginnings(walk, 400)
        looked_up = [text for text in typed if fold(text.split()[-1]) in table["words"]]
        assert len(looked_up) > 100 and any(fold(text) in table["titles"] for text in typed)
        assert any(text[0] in "ΆΈάέίόύώ" or any(c in "άέήίόύώ" for c in text) for text in looked_up)
        for limit in (1, 8, 20):
            for text in typed:
                assert engine.suggest(text, limit=limit) == walk.suggest(text, limit), (text, limit)


@pytest.mark.parametrize("typed", ["zq", "ЪЪ", "ξξξ", "qqqq", "99", "--"])
def test_a_beginning_without_completions(small_index, typed):
    with nullcontext(SearchEngine(small_index)) as engine:
        assert engine.suggest(typed) == []


def test_the_common_words_are_the_most_frequent_of_all(small_index, monkeypatch):
    """Where the request-time walk reads only the first terms of a beginning
    (alphabetically), the table's words are still the most frequent ones."""
    monkeypatch.setattr(suggest, "MAX_SCANNED", 2)
    with nullcontext(SearchEngine(small_index)) as engine:
        reader = engine._current().searcher.reader()
        suggester = engine._current().suggester
        table = suggester.common_words
        fields = word_fields(reader.schema)

        def every(beginning):
            return {term_text(t) for field in fields for t in reader.expand_prefix(field, beginning) if len(t) >= 3}

        def count(term):
            return sum(reader.doc_frequency(field, term) for field in fields)

        beginning = max(table, key=lambda b: len(every(b)))
        best = sorted(every(beginning), key=lambda term: (-count(term), term))[: suggest.KEPT_WORDS]
        assert table[beginning] == [suggester.shown_form(term) for term in best]
        assert request_time_suggester(engine)._words(beginning)[: suggest.KEPT_WORDS] != best  # the truncated walk


def test_each_index_version_uses_its_own_table(tmp_path, few_articles):
    index_dir = tmp_path / "index"
    build([seed("002")], index_dir)  # German
    with nullcontext(SearchEngine(index_dir)) as engine:
        assert engine.suggest("Verteid")  # a long beginning: walked
        german = [s["text"] for s in engine.suggest("ve", limit=20)]
        assert german and engine._current().suggester.has_common
        assert engine.suggest("κο") == []

        build([seed("000")], index_dir)  # Greek: a new generation, its own table
        engine.refresh()
        suggester = engine._current().suggester
        assert suggester.common_words == live_table(index_dir)["words"]
        assert engine.suggest("κο") and [s["text"] for s in engine.suggest("ve", limit=20)] != german

        add([seed("004")], index_dir)  # Hungarian, into the live generation
        assert live_table(index_dir) is not None  # rewritten for the new version
        engine.refresh()
        assert engine._current().suggester.has_common
        assert any(s["text"].startswith("Orosz") for s in engine.suggest("Or", limit=20))

        remove([seed("004").stem], index_dir)
        engine.refresh()
        assert engine._current().suggester.has_common
        # (the deleted article's words keep their counts until a merge, as without a table)
        assert engine.suggest("Or") == request_time_suggester(engine).suggest("Or", 8)
        assert not any(s["kind"] == "title" for s in engine.suggest("Or", limit=20))


def test_a_table_for_another_version_is_not_used(small_index):
    store = IndexStore(small_index)
    generation = store.live_generation()
    ix = store.open_live()
    toc = ix.latest_generation()
    ix.close()
    assert completions.load(generation, toc) is not None
    assert completions.load(generation, toc + 1) is None
    (generation / completions.TABLE).write_text("{not json", encoding="utf-8")
    assert completions.load(generation, toc) is None
    with nullcontext(SearchEngine(small_index)) as engine:  # answered by walking, as before tables
        assert not engine._current().suggester.has_common
        assert engine.suggest("Κορ")


def test_a_failed_build_leaves_the_served_table(small_index, tmp_path):
    generation = IndexStore(small_index).live_generation()
    before = (generation / completions.TABLE).read_bytes()
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(Exception):
        build([tmp_path / "empty.txt"], small_index)
    assert IndexStore(small_index).live_generation() == generation
    assert (generation / completions.TABLE).read_bytes() == before


def test_the_titles_found_in_a_second_process_make_the_same_table(small_index):
    store = IndexStore(small_index)
    ix = store.open_live()
    try:
        one, two = completions.compute(ix, processes=1), completions.compute(ix, processes=2)
    finally:
        ix.close()
    assert one["titles"]  # the fixture's beginnings are common (few_articles)
    assert list(two) == list(one) and two == one
