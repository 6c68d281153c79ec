"""Spelling candidates: the same words as Whoosh's own ``terms_within`` over
several segments (Damerau-Levenshtein), faster, whatever the segments."""

import random

import pytest
from whoosh import fields, index
from whoosh.reading import IndexReader

from search.expand import terms_within

WORDS = [
    "pjöngjang", "pjöngjangs", "pjongjang", "belousow", "belousov", "belousova", "verteidigung",
    "verteidigungsminister", "katona", "katonák", "katonát", "korea", "koreas", "nordkorea", "kursk",
    "kurszk", "kasse", "kassen", "kaese", "käse", "klasse", "kalse", "kasten", "ka", "k", "kk",
]  # fmt: skip


@pytest.fixture(scope="module", params=[1, 3], ids=["one segment", "three segments"])
def reader(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"segments{request.param}")
    ix = index.create_in(str(directory), fields.Schema(words=fields.TEXT(phrase=False)))
    rng = random.Random(6)
    for _ in range(request.param):
        writer = ix.writer()
        for _ in range(40):
            writer.add_document(words=" ".join(rng.sample(WORDS, 5)))
        writer.commit(merge=False)  # the segments stay apart, as in an index built with workers
    searcher = ix.searcher()
    assert searcher.reader().is_atomic() == (request.param == 1)
    yield searcher.reader()
    searcher.close()


@pytest.mark.parametrize("typed", ["pjöngjanb", "belousiw", "katonáj", "koera", "kasse", "kurks", "kalsse", "kxxx"])
@pytest.mark.parametrize("maxdist", [1, 2])
def test_terms_within_is_whooshs(reader, typed, maxdist):
    whooshs = IndexReader.terms_within(reader, "words", typed, maxdist, prefix=1)  # not the one-segment automaton
    expected = [t.decode("utf-8") if isinstance(t, bytes) else t for t in whooshs]
    assert list(terms_within(reader, "words", typed, maxdist)) == expected


def test_a_swap_of_neighbours_is_one_edit_in_one_segment_too(reader):
    assert "korea" in terms_within(reader, "words", "koera", 1)
