"""The index's codec: terms of one document stored inline, found and scored
exactly as with Whoosh's own codec; its faster writing writes the same bytes."""

import random
from pathlib import Path

import pytest
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3TermsReader
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.reading import TermNotFound

from index import codec as codec_module
from index.codec import NewsCodec
from index.ingest import prepared_articles
from index.schema import build_schema, document
from tests.conftest import DATA


@pytest.fixture(scope="module")
def demo_indexes(tmp_path_factory):
    """The demo articles written once with each codec."""
    articles = list(prepared_articles([DATA]))
    indexes = {}
    for name, codec in (("news", NewsCodec()), ("whoosh", W3Codec())):
        ix = whoosh_index.create_in(str(tmp_path_factory.mktemp(name)), build_schema())
        with ix.writer(codec=codec) as writer:
            for article in articles:
                writer.add_document(**document(article))
        indexes[name] = ix
    return indexes


def test_terms_of_one_document_are_inline_and_the_others_are_not(demo_indexes):
    with demo_indexes["news"].reader() as reader:
        infos = [reader.term_info("body_el", term) for term in reader.lexicon("body_el")]
    assert {info.is_inlined() for info in infos} == {True, False}
    assert all(info.is_inlined() == (info.doc_frequency() == 1) for info in infos)


@pytest.mark.parametrize("fieldname", ["body_el", "words_hu", "names", "title_suggest", "title_de"])
def test_every_term_finds_the_same_documents_with_the_same_scores(demo_indexes, fieldname):
    news, whoosh = demo_indexes["news"], demo_indexes["whoosh"]
    with news.searcher() as ours, whoosh.searcher() as theirs:
        terms = list(ours.reader().lexicon(fieldname))
        assert terms == list(theirs.reader().lexicon(fieldname))
        for term in terms:
            query = Term(fieldname, term.decode("utf-8"))
            got = [(hit["id"], hit.score) for hit in ours.search(query, limit=None)]
            assert got == [(hit["id"], hit.score) for hit in theirs.search(query, limit=None)]
            assert got


class _WhooshWritingCodec(NewsCodec):
    """NewsCodec's inlining with Whoosh's own term and postings writing."""

    def field_writer(self, storage, segment):
        return W3FieldWriter(self, storage, segment)


def _segment_files(directory):
    (segment,) = [path.name for path in directory.iterdir() if path.suffix == ".seg"]
    files = CompoundStorage(FileStorage(str(directory)).open_file(segment), use_mmap=False)
    try:
        return {name: files.open_file(name).read() for name in files.list()}
    finally:
        files.close()


def test_the_files_written_are_byte_for_byte_whooshs(tmp_path):
    articles = list(prepared_articles([DATA]))
    written = {}
    for name, codec in (("news", NewsCodec()), ("whoosh", _WhooshWritingCodec())):
        directory = tmp_path / name
        directory.mkdir()
        random.seed(6)  # the same segment name for both
        ix = whoosh_index.create_in(str(directory), build_schema())
        with ix.writer(codec=codec) as writer:
            for article in articles:
                writer.add_document(**document(article))
        ix.close()
        written[name] = _segment_files(directory)
    assert sorted(written["news"]) == sorted(written["whoosh"])
    assert any(name.endswith(".trm") for name in written["news"])
    for name, data in written["news"].items():
        assert data == written["whoosh"][name], name


def test_term_vectors_are_written_as_whoosh_writes_them(tmp_path):
    # Not in our schema, but the codec must not break them: a vector is found
    # through its extent, so it is never inlined.
    from whoosh import fields

    written = {}
    for name, codec in (("news", NewsCodec()), ("whoosh", _WhooshWritingCodec())):
        directory = tmp_path / name
        directory.mkdir()
        random.seed(6)
        ix = whoosh_index.create_in(str(directory), fields.Schema(text=fields.TEXT(vector=True)))
        with ix.writer(codec=codec) as writer:
            for i in range(200):
                writer.add_document(text=" ".join(f"w{i * j % 97}" for j in range(30)) + f" only{i}")
        with ix.searcher() as searcher:
            assert ("only5", 1) in list(searcher.vector_as("frequency", 5, "text"))
        ix.close()
        written[name] = _segment_files(directory)
    assert written["news"] == written["whoosh"]


@pytest.mark.parametrize(
    "procs,multisegment,pool",
    [(1, True, "TermPool"), (2, True, "TermPool"), (2, False, "_ChunkedRunPool")],
)
def test_postings_through_runs_on_disk_are_whooshs(tmp_path, procs, multisegment, pool):
    # A pool of a fraction of a megabyte: the postings go through many runs
    # on disk (per term, or Whoosh's runs of postings written and merged in
    # chunks when the workers' runs are merged into one segment); the
    # segments are Whoosh's own.
    from index import writer as index_writer

    articles = list(prepared_articles([DATA])) * 3
    written = {}
    for name in ("news", "whoosh"):
        directory = tmp_path / name
        directory.mkdir()
        random.seed(6)
        ix = whoosh_index.create_in(str(directory), build_schema())
        if name == "news":
            writer = index_writer._writer(ix, procs=procs, limitmb=0.05, multisegment=multisegment)
            pools = {type(writer.pool).__name__}
        else:
            writer = ix.writer(codec=_WhooshWritingCodec(), compound=False, limitmb=0.05)
        for number, article in enumerate(articles):
            writer.add_document(**{**document(article), "id": f"{article.id}-{number}"})
        writer.commit()
        with ix.searcher() as searcher:
            reader = searcher.reader()
            written[name] = {
                field: [(term, list(reader.postings(field, term).items_as("weight"))) for term in reader.lexicon(field)]
                for field in ("body_el", "words_de", "names", "title_suggest")
            }
        ix.close()
    assert pools == {pool}
    assert written["news"] == written["whoosh"]


@pytest.fixture(scope="module")
def long_postings(tmp_path_factory):
    """Terms with posting lists of many blocks (Whoosh's blocks hold 128 postings), with positions."""
    rng = random.Random(6)
    words = [f"w{n}" for n in range(40)]
    texts = [" ".join(rng.choices(words, k=rng.randint(1, 30))) for _ in range(3000)]
    schema = whoosh_fields.Schema(body=whoosh_fields.TEXT(phrase=True))
    indexes = []
    for codec in (NewsCodec(), W3Codec()):
        ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("long")), schema)
        with ix.writer(codec=codec) as writer:
            for text in texts:
                writer.add_document(body=text)
        indexes.append(ix)
    return indexes


def _postings(matcher, targets=None):
    """(id, weight, value) of every posting, or of the first at or after each of ``targets``."""
    found = []
    for target in targets if targets is not None else iter(int, 1):
        if not matcher.is_active():
            break
        if targets is not None:
            matcher.skip_to(target)
            if not matcher.is_active():
                break
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        if targets is None:
            matcher.next()
    return found


@pytest.mark.parametrize("kept", [4096, 3])
def test_postings_decoded_once_read_as_whooshs(long_postings, monkeypatch, kept):
    # kept=3: the cache of decoded blocks starts over again and again while a list is read
    monkeypatch.setattr(codec_module, "DECODED_BLOCKS", kept)
    # (the positions, packed in our blocks, against Whoosh's blocks of the same documents)
    rng = random.Random(kept)
    news, whoosh = long_postings
    with news.reader() as reader, whoosh.reader() as whooshs:
        for term in reader.lexicon("body"):
            info = reader.term_info("body", term)
            ours = reader.postings("body", term.decode())
            assert type(ours) is codec_module._LeafMatcher
            assert type(whooshs.postings("body", term.decode())) is W3LeafMatcher
            # far apart, one after another (within a block, repeated), and past the last document
            spread = sorted(rng.sample(range(3000), 40))
            dense = list(range(rng.randrange(2900), 3000)) + [2999, 3000, 5000]
            for _ in range(2):  # the second time from the cache
                assert _postings(reader.postings("body", term.decode())) == _postings(whooshs.postings("body", term.decode()))
                for targets in (spread, dense):
                    theirs = whooshs.postings("body", term.decode())
                    assert _postings(reader.postings("body", term.decode()), targets) == _postings(theirs, targets)
            assert info.doc_frequency() > 128  # several blocks


def test_positions_are_packed_in_fewer_bytes_than_whooshs(long_postings):
    # (one segment each, in a compound file: postings and term tables)
    sizes = [sum(path.stat().st_size for path in Path(ix.storage.folder).iterdir()) for ix in long_postings]
    assert sizes[0] < 0.8 * sizes[1]


def _entry(info):
    where = info.inlined_postings() if info.is_inlined() else info.extent()
    return info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(), where


@pytest.mark.parametrize("kept", [50_000, 2])
def test_term_entries_looked_up_once_answer_as_whooshs(demo_indexes, monkeypatch, kept):
    # kept=2: the cache of term entries starts over at almost every look-up
    monkeypatch.setattr(codec_module, "CACHED_TERMS", kept)
    with demo_indexes["news"].reader() as reader:
        ours = reader._terms
        assert type(ours) is codec_module._TermsReader
        theirs = W3Codec.terms_reader(ours._codec, reader._storage, reader._segment)
        assert type(theirs) is W3TermsReader
        terms = [(fieldname, term) for fieldname in ("body_el", "names", "title_de", "id") for term in reader.lexicon(fieldname)]
        absent = [("body_el", b"\xff-none"), ("no_such_field", b"x"), ("title_de", b"")]
        for _ in range(2):  # the second time from the cache
            for fieldname, term in terms:
                assert (fieldname, term) in ours
                info, expected = ours.term_info(fieldname, term), theirs.term_info(fieldname, term)
                assert _entry(info) == _entry(expected)
                assert ours.frequency(fieldname, term) == theirs.frequency(fieldname, term)
                assert ours.doc_frequency(fieldname, term) == theirs.doc_frequency(fieldname, term)
            for fieldname, term in absent:
                assert (fieldname, term) not in ours and (fieldname, term) not in theirs
                with pytest.raises(TermNotFound):
                    ours.term_info(fieldname, term)
                for lookup in ("frequency", "doc_frequency"):
                    with pytest.raises(KeyError):
                        getattr(theirs, lookup)(fieldname, term)
                    with pytest.raises(KeyError):
                        getattr(ours, lookup)(fieldname, term)
