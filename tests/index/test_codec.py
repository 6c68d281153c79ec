"""The index's codec: terms of one document stored inline, found and scored
exactly as with Whoosh's own codec."""

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import Term

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


@pytest.mark.parametrize("fieldname", ["body_el", "words_hu", "names", "suggest", "title_de"])
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
