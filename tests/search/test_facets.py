"""Facet counts: one pass over a result's documents (source, month) or one
intersection per value (languages, several per article) give what counting
each document's own values gives."""

import random
from collections import Counter

import pytest
from whoosh import fields, index

from search.facets import MAX_VALUES, FacetCounter

LANGS = ["de", "el", "hu", "ru", "en", "uk"]
SOURCES = [f"source-{n}.example" for n in range(30)] + ["Πηγή: ΕΡΤ", "Quelle: dpa"]
MONTHS = [f"{year}-{month:02}" for year in (2023, 2024) for month in range(1, 13)]


@pytest.fixture(scope="module")
def index_and_values(tmp_path_factory):
    rng = random.Random(6)
    schema = fields.Schema(
        number=fields.NUMERIC(stored=True, unique=True),
        languages=fields.KEYWORD(commas=True),
        month=fields.ID(sortable=True),
        source=fields.ID(sortable=True),
    )
    ix = index.create_in(str(tmp_path_factory.mktemp("facets")), schema)
    values = {}
    for segment in range(3):  # separate segments, as an index built with workers
        writer = ix.writer()
        for n in range(segment * 200, segment * 200 + 200):
            doc = {"number": n, "languages": ",".join(rng.sample(LANGS, rng.randint(1, 3)))}
            if rng.random() < 0.9:  # some articles have no date, some no source
                doc["month"] = rng.choice(MONTHS)
            if rng.random() < 0.8:
                doc["source"] = rng.choice(SOURCES)
            writer.add_document(**doc)
            values[n] = doc
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("number", 7)  # a deleted document is never in a result set
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        by_docnum = {docnum: values[stored["number"]] for docnum, stored in reader.iter_docs()}
        yield FacetCounter(reader), by_docnum


def expected_counts(docs, by_docnum):
    counted = {"lang": Counter(), "source": Counter(), "month": Counter()}
    for docnum in docs:
        doc = by_docnum[docnum]
        counted["lang"].update(doc["languages"].split(","))
        for facet in ("source", "month"):
            if facet in doc:
                counted[facet][doc[facet]] += 1
    result = {}
    for facet, counts in counted.items():
        order = (lambda vc: vc[0]) if facet == "month" else (lambda vc: (-vc[1], vc[0]))
        rows = sorted(counts.items(), key=order, reverse=facet == "month")
        result[facet] = [{"value": value, "count": n} for value, n in rows[:MAX_VALUES]]
    return result


@pytest.mark.parametrize("size", [0, 1, 5, 60, 599])
def test_counts_are_each_documents_own_values(index_and_values, size):
    counter, by_docnum = index_and_values
    rng = random.Random(size)
    for _ in range(5):
        docs = set(rng.sample(sorted(by_docnum), size))
        assert counter.count(docs) == expected_counts(docs, by_docnum)


def test_an_article_counts_in_each_of_its_languages(index_and_values):
    counter, by_docnum = index_and_values
    docnum = next(d for d, doc in by_docnum.items() if doc["languages"].count(",") == 2)
    langs = counter.count({docnum})["lang"]
    assert sorted(row["value"] for row in langs) == sorted(by_docnum[docnum]["languages"].split(","))
