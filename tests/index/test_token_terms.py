"""Indexing through the table of token texts' terms (index.analysis.token_terms)
gives the postings the analyzers' own chains give: golden rows of input →
terms with positions (or frequencies), and every field of the demo articles
and of a generated corpus against Whoosh's own ``field.index``."""

import pickle

import pytest
from whoosh import fields
from whoosh.analysis import LowercaseFilter, StopFilter
from whoosh.formats import Positions

from index.analysis import analyzer_for, build_analyzer
from index.analysis.token_terms import TokenTerms, indexed_values, token_terms
from index.analysis.tokenizer import NewsTokenizer, token_texts
from index.article import Skipped
from index.ingest import prepared_articles
from index.schema import TokenTableText, build_schema, document
from tests.conftest import DATA
from tests.corpus import write_jsonl

SCHEMA = build_schema()

ROWS = [
    # hyphenated names: the whole token and its parts, the parts taking positions
    # of their own and moving the later tokens; "és" a stop word, its position a gap
    ("body_hu", "Észak-Korea és Dél-Korea", {"észak-kor": [0], "ész": [0], "kor": [1, 4], "dél-kor": [3], "dél": [3]}),
    ("body_xx", "Észak-Korea the end", {"észak-korea": [0], "észak": [0], "korea": [1], "the": [2], "end": [3]}),
    # ő and ű, also as õ (Latin-1 mojibake); "az" a stop word
    ("body_hu", "nõhet erőket, az erők", {"nőh": [0], "erő": [1, 3]}),
    # ё as е; stop words (ещё, и, всё) leave gaps
    ("body_ru", "Ещё Белоусова и Белоусову", {"белоусов": [1, 3]}),
    ("body_ru", "Всё ещё ёлка", {"елка": [2]}),
    # tonos, final ς, capitals; "ο" and "της" stop words
    ("body_el", "Ο υπουργός της Άμυνας ΑΜΥΝΑΣ", {"υπουργ": [1], "αμυν": [3, 4]}),
    ("body_el", "κατ’ αυτές KN-23", {"kn-23": [2], "kn": [2], "23": [3]}),
    # German compounds: the parts at the compound's position
    (
        "body_de",
        "Der Verteidigungsminister und Nordkorea",
        {"verteidigungsminist": [1], "verteid": [1], "minist": [1], "nordkorea": [3], "nord": [3], "korea": [3]},
    ),
    # a hyphenated compound: hyphen parts, then the compound parts of a part
    (
        "body_de",
        "Nato-Verteidigungsminister trifft die Außenministerin",
        {
            "nato-verteidigungsminist": [0],
            "nato": [0],
            "verteidigungsminist": [1],
            "verteid": [1],
            "minist": [1, 4],
            "trifft": [2],
            "aussenminist": [4],
            "auss": [4],
        },
    ),
    ("body_de", "11-12 Soldaten 10.000 Soldaten", {"11-12": [0], "11": [0], "12": [1], "soldat": [2, 4], "10000": [3]}),
    ("title_de", "Raketenwerfer", {"raketenwerf": [0], "rak": [0], "werf": [0]}),
    ("body_de", "", {}),
    ("body_de", "der die das", {}),
    # the unstemmed words: counts; numbers and hyphenated tokens are no words
    ("words_el", "Άμυνας άμυνας ΑΜΥΝΑΣ στρατιώτες", {"αμυνασ": 3, "στρατιωτεσ": 1}),
    ("words_hu", "nõhet Észak-Korea 23 a", {"nőhet": 1}),
    ("words_ru", "ёлка Ёлка", {"елка": 2}),
    # names: one key across scripts; lower-case words and stop words have none
    # (with their positions, which say where a result's passages are)
    ("names", "Μπελούσοφ Белоусов Belousow und die Белоусова", {"belusov": [0, 1, 2, 5]}),
    ("names", "Észak-Korea Korea és Dél-Korea", {"esakor": [0], "esak": [0], "kore": [1, 2, 5], "delkor": [4], "del": [4]}),
    ("title_suggest", "Ουκρανίας Észak-Korea Ёлка", {"ουκρανιασ": 1, "észak-korea": 1, "észak": 1, "korea": 1, "елка": 1}),
]


def _readable(field, values):
    """``{term: positions}`` (positional fields) or ``{term: frequency}``."""
    if isinstance(field.format, Positions):
        return {term.decode(): field.format.decode_positions(value) for term, _, _, value in values}
    return {term.decode(): freq for term, freq, _, _ in values}


def _whooshs(field, value):
    """What Whoosh's own TEXT field indexes ``value`` under (the analyzer's chain)."""
    return list(fields.TEXT.index(field, value))


@pytest.mark.parametrize("fieldname,text,expected", ROWS)
def test_indexed_terms(fieldname, text, expected):
    field = SCHEMA[fieldname]
    values = list(field.index(text))
    assert _readable(field, values) == expected
    assert values == _whooshs(field, text)


def test_every_field_of_the_demo_articles_and_a_corpus_indexes_as_whoosh_does(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, 120, seed=6)
    compared = 0
    for path in (DATA, corpus):
        for article in prepared_articles([path], 1):
            if isinstance(article, Skipped):
                continue
            for name, value in document(article).items():
                field = SCHEMA[name]
                if isinstance(field, TokenTableText):
                    assert list(field.index(value)) == _whooshs(field, value), (article.id, name)
                    compared += 1
    assert compared > 300


def test_a_full_table_starts_over_and_still_gives_the_same_postings():
    analyzer = build_analyzer("de")
    field = TokenTableText(analyzer=analyzer, phrase=True)
    text = "Der Verteidigungsminister und Nordkorea, der Minister und die Soldaten " * 3
    token_terms(analyzer).size = 3
    for _ in range(3):
        assert list(field.index(text)) == _whooshs(field, text)
    assert len(token_terms(analyzer).entries) <= len(set(token_texts(text)))


def test_analyzers_that_are_not_token_local_take_the_chain():
    # A stop filter that renumbers positions, and a Whoosh filter that does not say it is token-local
    for analyzer in (NewsTokenizer() | StopFilter(renumber=True), NewsTokenizer() | LowercaseFilter()):
        assert token_terms(analyzer) is None
        field = TokenTableText(analyzer=analyzer, phrase=True)
        assert indexed_values(analyzer, field.format, "Ein Test der Tests") is None
        assert list(field.index("Ein Test der Tests")) == _whooshs(field, "Ein Test der Tests")
    # a token list (Whoosh indexes each as a token) is not text to tokenize
    field = SCHEMA["body_de"]
    assert indexed_values(field.analyzer, field.format, ["a", "b"]) is None


def test_the_table_is_no_part_of_the_pickled_schema():
    pickled = pickle.dumps(SCHEMA)
    list(SCHEMA["body_de"].index("Verteidigungsminister und Soldaten"))
    assert token_terms(SCHEMA["body_de"].analyzer).entries
    assert pickle.dumps(SCHEMA) == pickled
    copy = pickle.loads(pickled)
    tabled = [name for name, field in SCHEMA.items() if isinstance(field, TokenTableText)]
    assert len(tabled) == 17 and all(copy[name] == SCHEMA[name] for name in tabled)
    text = "Verteidigungsminister und Soldaten"
    assert list(copy["body_de"].index(text)) == list(SCHEMA["body_de"].index(text))


def test_queries_and_highlighting_run_the_analyzer_itself():
    # a query is split into the parts of a hyphenated word, never looked up whole
    assert [t.text for t in analyzer_for("hu")("Észak-Korea", mode="query")] == ["ész", "kor"]
    tokens = [(t.text, t.startchar, t.endchar) for t in analyzer_for("hu")("Észak-Korea", chars=True, mode="index")]
    assert tokens == [("észak-kor", 0, 11), ("ész", 0, 5), ("kor", 6, 11)]


def test_each_token_text_is_analyzed_once():
    table = TokenTerms(build_analyzer("el").items)
    calls = []
    table._tokenizer = _CountingTokenizer(calls)
    table.positions(("Άμυνας", "της", "Άμυνας", "Άμυνας"))
    table.positions(("Άμυνας", "υπουργός"))
    assert sorted(calls) == ["Άμυνας", "της", "υπουργός"]


class _CountingTokenizer(NewsTokenizer):
    def __init__(self, calls):
        self.calls = calls

    def tokens(self, texts, *args, **kwargs):
        return super().tokens(self._counted(texts), *args, **kwargs)

    def _counted(self, texts):
        for text in texts:
            self.calls.append(text)
            yield text
