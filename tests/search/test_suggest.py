"""Word completions read from every segment's term table count as Whoosh's merged reader does."""

import random

import pytest
from whoosh import fields, index

from index.analysis import build_suggestion_analyzer
from search import suggest
from search.suggest import SEPARATOR, Suggester

WORDS = "Kasse Kassen kassen Käse Kasten Karte Karten Kartell Kalb kalt Kälte Katze Kater Kanzler Kante".split()


def merged_reference(reader, prefix):
    """What the suggester counted before: the merged term list, one look-up per term."""
    counts = {}
    for scanned, term in enumerate(reader.expand_prefix("suggest", prefix)):
        if scanned >= suggest.MAX_SCANNED:
            break
        text = term.decode("utf-8")
        shown = text.partition(SEPARATOR)[2]
        counts[shown] = counts.get(shown, 0) + reader.doc_frequency("suggest", text)
    return sorted(counts, key=lambda word: (-counts[word], word))


@pytest.fixture(scope="module", params=[1, 3], ids=["one segment", "three segments"])
def searcher(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"suggest{request.param}")
    ix = index.create_in(str(directory), fields.Schema(suggest=fields.TEXT(analyzer=build_suggestion_analyzer(), phrase=False)))
    rng = random.Random(6)
    for segment in range(request.param):
        writer = ix.writer()
        for _ in range(30):
            writer.add_document(suggest=" ".join(rng.sample(WORDS[segment * 3 :], 4)))
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        yield searcher


@pytest.mark.parametrize("max_scanned", [2, 5, 2000])
@pytest.mark.parametrize("prefix", ["ka", "kas", "kä", "kart", "x"])
def test_words_count_as_the_merged_reader(searcher, monkeypatch, max_scanned, prefix):
    monkeypatch.setattr(suggest, "MAX_SCANNED", max_scanned)
    assert Suggester(searcher)._words(prefix) == merged_reference(searcher.reader(), prefix)


@pytest.mark.parametrize("prefix", ["", "b", "be", "κα", "бе", "kim", "zzz"])
def test_document_counts_are_whooshs(demo_index, prefix):
    """Read from the term table's entry headers, as Whoosh's term infos give them
    (the demo index has terms of a single document stored inline)."""
    from index.store import IndexStore
    from search.suggest import _document_counts

    ix = IndexStore(demo_index).open_live()
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            expected = [(term, info.doc_frequency()) for term, info in leaf.iter_prefix("suggest", prefix)][:50]
            assert list(_document_counts(leaf, "suggest", prefix, 50)) == expected
            assert expected or prefix == "zzz"
