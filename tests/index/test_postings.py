"""The per-term posting pool against Whoosh's, and indexes written through it."""

import random

import pytest
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import PostingPool

from index import writer as writer_module
from index.postings import TermPool
from tests.conftest import DATA


def _postings(documents=300, seed=7):
    """Postings as a writer adds them: documents in order, each with its
    distinct terms of a few fields (Zipf-like, so some terms are common)."""
    rng = random.Random(seed)
    for docnum in range(documents):
        for fieldname in ("body", "title", "words"):
            terms = {f"t{int(rng.paretovariate(1.0)) % 500}".encode() for _ in range(rng.randrange(0, 30))}
            for btext in sorted(terms, key=lambda _: rng.random()):
                value = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 4))) or None
                yield fieldname, btext, docnum, float(rng.randrange(1, 4)), value


def _whoosh_sorted(postings):
    pool = PostingPool(RamStorage(), None, limitmb=1)
    for posting in postings:
        pool.add(posting)
    return list(pool.iter_postings())


def _ours(postings, limit=None):
    pool = TermPool(RamStorage(), limit=limit) if limit else TermPool(RamStorage())
    for posting in postings:
        pool.add(posting)
    return pool, list(pool.iter_postings())


@pytest.mark.parametrize("limit", [None, 4_000, 60_000])
def test_same_postings_in_the_same_order_as_whoosh(limit):
    pool, ours = _ours(_postings(), limit)
    assert ours == _whoosh_sorted(_postings())
    assert not pool.unordered_terms


def test_small_budget_writes_runs_and_removes_them():
    storage = RamStorage()
    pool = TermPool(storage, limit=4_000)
    for posting in _postings(100):
        pool.add(posting)
    assert len(pool.runs) > 3
    assert set(storage.list()) == set(pool.runs)
    terms = list(pool.iter_postings().by_term())
    assert not storage.list()
    keys = [(f, t) for f, t, *_ in terms]
    assert keys == sorted(set(keys))
    assert all(list(docnums) == sorted(set(docnums)) for _, _, docnums, _, _ in terms)


def test_cleanup_removes_runs_left_behind():
    storage = RamStorage()
    pool = TermPool(storage, limit=4_000)
    for posting in _postings(100):
        pool.add(posting)
    pool.cleanup()
    assert not storage.list() and not pool.runs


@pytest.mark.parametrize("limit", [None, 4_000])
def test_postings_out_of_document_order_are_sorted_as_whoosh_sorts_them(limit):
    # A merge (add_reader) after new documents: a segment's postings term by
    # term; and a posting numbered before the term's last.
    postings = list(_postings(200))
    shuffled = postings[:]
    random.Random(3).shuffle(shuffled)
    pool, ours = _ours(shuffled, limit)
    assert pool.unordered_terms > 100
    assert ours == _whoosh_sorted(postings)


def test_a_merge_after_new_documents_needs_no_sorting():
    # add_reader after add_document: a segment's postings term by term,
    # numbered after the new documents.
    new = list(_postings(50))
    merged = sorted((f, t, d + 50, w, v) for f, t, d, w, v in _postings(80, seed=8))
    pool, ours = _ours(new + merged, 4_000)
    assert ours == _whoosh_sorted(new + merged)
    assert not pool.unordered_terms


def test_spelling_postings_numbered_minus_one_are_kept_for_the_codec():
    postings = [("words", b"a", 0, 1.0, b"x"), ("words", b"a", 1, 1.0, b"y"), ("words", b"a", -1, 1.0, None)]
    _, ours = _ours(postings)
    assert ours == _whoosh_sorted(postings)
    assert [d for _, _, d, _, _ in ours] == [-1, 0, 1]


def _contents(index_dir):
    from index.store import IndexStore

    ix = IndexStore(index_dir).open_live()
    try:
        with ix.reader() as reader:
            ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
            terms = {}
            for fieldname, btext in reader.all_terms():
                matcher = reader.postings(fieldname, btext)
                postings = []
                while matcher.is_active():
                    postings.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                    matcher.next()
                terms[fieldname, btext] = sorted(postings)
            return terms
    finally:
        ix.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_index_spilled_in_runs_is_the_index_held_in_memory(tmp_path, monkeypatch, workers):
    writer_module.build([DATA], tmp_path / "memory", workers=workers)
    monkeypatch.setattr(TermPool, "__init__", _tiny(TermPool.__init__))
    writer_module.build([DATA], tmp_path / "runs", workers=workers)
    assert _contents(tmp_path / "runs") == _contents(tmp_path / "memory")


def _tiny(init):
    # A budget of 20 KB: the demo articles' pool writes dozens of runs.
    def tiny_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.limit = 20_000

    return tiny_init
