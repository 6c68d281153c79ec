"""The publication time's two tiers find what Whoosh's eight find, with a
quarter of the terms; each paragraph's positions are those its fields give it."""

import datetime as dt
import json
import random

import pytest
from whoosh import fields, index, query

from index.analysis.filters import CompoundPartsFilter
from index.analysis.tokenizer import NewsTokenizer, recent_token_texts, token_texts
from index.schema import PublicationTime, TokenTableText, build_schema, document


@pytest.fixture(scope="module")
def times(tmp_path_factory):
    rng = random.Random(6)
    start = dt.datetime(2023, 1, 1)
    values = [start + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)) for _ in range(400)]
    values += [dt.datetime(2024, 11, 30, 0, 0), dt.datetime(2024, 11, 30, 23, 59), dt.datetime(2024, 12, 1)]
    indexes = {}
    for name, field in (("ours", PublicationTime(sortable=True)), ("whoosh", fields.DATETIME(sortable=True))):
        ix = index.create_in(str(tmp_path_factory.mktemp(name)), fields.Schema(n=fields.STORED(), published=field))
        with ix.writer() as writer:
            for n, value in enumerate(values):
                writer.add_document(n=n, published=value)
        indexes[name] = ix
    return values, indexes


def test_two_terms_per_time(times):
    values, indexes = times
    with indexes["ours"].reader() as ours, indexes["whoosh"].reader() as whoosh:
        counted = {name: sum(1 for _ in r.lexicon("published")) for name, r in (("ours", ours), ("whoosh", whoosh))}
    assert counted["ours"] <= len(values) * 2 < counted["whoosh"]


def test_ranges_find_what_whooshs_tiers_find(times):
    values, indexes = times
    rng = random.Random(7)
    bounds = [(dt.datetime(2024, 11, 30), dt.datetime(2024, 11, 30, 23, 59, 59, 999999)), (None, dt.datetime(2024, 1, 1))]
    for _ in range(60):
        first = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        bounds.append((first, first + dt.timedelta(days=rng.choice([0, 1, 30, 200]), hours=23, minutes=59)))
    with indexes["ours"].searcher() as ours, indexes["whoosh"].searcher() as whoosh:
        for start, end in bounds:
            expected = {n for n, value in enumerate(values) if (start is None or value >= start) and value <= end}
            for searcher in (ours, whoosh):
                found = {hit["n"] for hit in searcher.search(query.DateRange("published", start, end), limit=None)}
                assert found == expected, (start, end)
        newest = ours.search(query.Every(), sortedby="published", reverse=True, limit=3)
        assert [hit["n"] for hit in newest] == sorted(range(len(values)), key=lambda n: values[n], reverse=True)[:3]


# Hyphenated words take a position per part, stop words theirs, and the
# paragraphs come in three languages (the Russian one is quoted in Greek).
TRICKY_ARTICLE = {
    "id": "tricky",
    "title": "Észak-Korea és Dél-Korea: a KN-23",
    "lang": "hu",
    "body": "\n\n".join(
        [
            "Észak-Korea és Nyugat-Virginiában, a KN-23 rakéták 10.000 katonát küldött a határra.",
            "Ο υπουργός Άμυνας Μπελούσοφ κατ’ ουσίαν είπε ότι οι στρατιώτες της Βόρειας Κορέας είναι εκεί.",
            "Министр обороны Белоусов по-русски сказал, что северокорейские военные уже там и ещё.",
            "A Nato-főtitkár https://www.example-news.hu/a-b-c szerint pro-Putyin és anti-Trump hangok.",
        ]
    ),
}


def _articles(tmp_path):
    from index.article import Skipped
    from index.ingest import prepared_articles
    from tests.conftest import DATA
    from tests.corpus import write_jsonl

    corpus = write_jsonl(tmp_path / "corpus.jsonl", 60, seed=6)
    tricky = tmp_path / "tricky.json"
    tricky.write_text(json.dumps(TRICKY_ARTICLE, ensure_ascii=False), encoding="utf-8")
    for path in (DATA, corpus, tricky):
        yield from (article for article in prepared_articles([path], 1) if not isinstance(article, Skipped))


def _positions_taken(text):
    """The positions the text's tokens take, from the analyzers' own first steps."""
    tokens = list((NewsTokenizer() | CompoundPartsFilter())(text, positions=True, mode="index"))
    return max((t.pos for t in tokens), default=-1) + 1


def test_the_title_and_each_paragraph_take_the_positions_their_analyzers_give(tmp_path):
    checked = hyphenated = 0
    for article in _articles(tmp_path):
        widths = document(article)["paragraph_positions"]
        texts = [article.title or ""] + [p.text for p in article.paragraphs]
        assert widths == [_positions_taken(text) for text in texts], article.id
        checked += 1
        hyphenated += any("-" in text for text in texts)
    assert checked > 60 and hyphenated


def test_the_fields_tokens_are_remembered_as_the_tokenizer_gives_them(tmp_path):
    schema = build_schema()
    compared = 0
    for article in _articles(tmp_path):
        recent_token_texts._results.clear()  # what document() leaves is all there
        for name, value in document(article).items():
            if isinstance(schema[name], TokenTableText) and value in recent_token_texts._results:
                assert recent_token_texts._results[value] == token_texts(value), (article.id, name)
                compared += 1
    assert compared > 3 * 60
