"""Index-time analysis per distinct word gives what the filters composed give,
token for token."""

import pytest
from whoosh.analysis.analyzers import CompositeAnalyzer

from index.analysis import LANGUAGES, OTHER, analyzer_for, build_analyzer, name_analyzer
from index.analysis.by_word import WordCachedAnalyzer
from index.ingest import prepared_articles
from tests.conftest import DATA

TRICKY = (
    "Az Észak-Korea és a KN-23 rakéta; Nyugat-Virginiában 10.000 ember, "
    "Verteidigungsministerium und Rüstungsindustrie der Bundeswehr-Führung "
    "Белоусов, Белоусова и Зеленского: по-русски. Ο Μπελούσοφ είπε κατ’ αρχήν "
    "στην Ουκρανία-Ρωσία. https://example.com/a-b skai.gr #tag @handle 11-12 x--y - --"
)


def _tokens(analyzer, text, **options):
    return [
        (t.text, t.pos, t.startchar, t.endchar, t.boost)
        for t in analyzer(text, positions=True, chars=True, boosts=True, mode="index", **options)
    ]


def _texts():
    articles = list(prepared_articles([DATA]))
    return [TRICKY, TRICKY] + [(a.title or "") + "\n\n" + a.body for a in articles]


@pytest.mark.parametrize("lang", LANGUAGES + (OTHER, "names"))
def test_per_word_analysis_yields_what_the_composed_filters_yield(lang):
    analyzer = name_analyzer() if lang == "names" else analyzer_for(lang)
    assert isinstance(analyzer, WordCachedAnalyzer)
    for text in _texts():  # TRICKY twice: once learnt, once from the cache
        expected = _tokens(lambda *a, **k: CompositeAnalyzer.__call__(analyzer, *a, **k), text)
        assert _tokens(analyzer, text) == expected
        assert [t.text for t in analyzer(text, mode="index")] == [t[0] for t in expected]
    assert analyzer._words


def test_positions_continue_from_start_pos_and_start_char():
    analyzer = build_analyzer("hu")
    plain = CompositeAnalyzer(*analyzer.items)
    options = {"start_pos": 7, "start_char": 40}
    assert _tokens(analyzer, TRICKY, **options) == _tokens(plain, TRICKY, **options)


def test_a_filter_that_moves_positions_must_follow_the_tokenizer():
    items = analyzer_for("de").items
    with pytest.raises(ValueError):
        WordCachedAnalyzer(items[0], items[2], items[1])
