"""Word completions read from every segment's and every language's term table
count as Whoosh's merged reader does, and are shown as the articles write them."""

import random

import pytest
from whoosh import fields, index

from index.analysis import word_analyzer_for
from search import suggest
from search.suggest import ShownForms, Suggester

WORDS = "Kasse Kassen kassen Käse Kasten Karte Karten Kartell Kalb kalt Kälte Katze Kater Kanzler Kante Ka".split()


def merged_reference(reader, prefix):
    """What the suggester counts: the merged term lists of every words field,
    one look-up per term."""
    counts = {}
    for field in ("words_de", "words_hu"):
        for scanned, term in enumerate(reader.expand_prefix(field, prefix)):
            if scanned >= suggest.MAX_SCANNED:
                break
            text = term.decode("utf-8")
            counts[text] = counts.get(text, 0) + reader.doc_frequency(field, text)
    kept = sorted(counts)[: suggest.MAX_SCANNED]
    return sorted((w for w in kept if len(w) >= suggest.MIN_WORD), key=lambda word: (-counts[word], word))


@pytest.fixture(scope="module", params=[1, 3], ids=["one segment", "three segments"])
def searcher(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"suggest{request.param}")
    schema = fields.Schema(
        words_de=fields.TEXT(analyzer=word_analyzer_for("de"), phrase=False),
        words_hu=fields.TEXT(analyzer=word_analyzer_for("hu"), phrase=False),
    )
    ix = index.create_in(str(directory), schema)
    rng = random.Random(6)
    for segment in range(request.param):
        writer = ix.writer()
        for _ in range(30):
            writer.add_document(
                words_de=" ".join(rng.sample(WORDS[segment * 3 :], 4)), words_hu=" ".join(rng.sample(WORDS, 2))
            )
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
        found = False
        for leaf, _ in searcher.reader().leaf_readers():
            for field in ("words_el", "words_de", "words_hu", "words_ru"):
                expected = [(term, info.doc_frequency()) for term, info in leaf.iter_prefix(field, prefix)][:50]
                assert list(_document_counts(leaf, field, prefix, 50)) == expected
                found = found or bool(expected)
        assert found or prefix == "zzz"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    directory = tmp_path_factory.mktemp("shown")
    schema = fields.Schema(
        title=fields.STORED(),
        body=fields.STORED(),
        **{f"words_{lang}": fields.TEXT(analyzer=word_analyzer_for(lang), phrase=False) for lang in ("el", "de", "ru")},
    )
    ix = index.create_in(str(directory), schema)
    texts = [
        ("el", "ΑΘΗΝΑ", "Η ΑΘΗΝΑ σήμερα."),
        ("el", "Νέα από την Αθήνα", "Στην Αθήνα και στην αθήνα, ξανά Αθήνα. Ο νόμος."),
        ("de", "Die Straße", "Auf der Straße, in der Strasse."),
        ("ru", "Ещё раз", "Ещё и ещё, зелёный дом."),
    ]
    with ix.writer() as writer:
        for lang, title, body in texts:
            writer.add_document(title=title, body=body, **{f"words_{lang}": f"{title}\n\n{body}"})
    with ix.searcher() as searcher:
        yield ShownForms(searcher)


@pytest.mark.parametrize(
    "term,shown",
    [
        ("αθηνα", "αθήνα"),  # capitals drop the accent: the next document writes it
        ("νομοσ", "νόμος"),  # the last sigma
        ("σημερα", "σήμερα"),
        ("strasse", "straße"),  # the most used form
        ("еще", "ещё"),
        ("зеленый", "зелёный"),
        ("auf", "auf"),  # one spelling only: nothing read
        ("ξξξσ", "ξξξς"),  # not in the index: the folded form, with a last ς
    ],
)
def test_words_are_shown_as_written(written, term, shown):
    assert written.shown(term) == shown


def test_a_diaeresis_besides_the_accent(written):
    assert "ευρωπαϊκή" in suggest._spellings("ευρωπαικη")
