"""The highlighter's per-word analysis gives exactly what the full analyzers give."""

import unicodedata
from pathlib import Path

import pytest

from index.analysis import LANGUAGES, OTHER, analyzer_for, fold, name_analyzer
from search.highlight import _merge, analyzed_words, match_spans

DATA = Path(__file__).resolve().parents[2] / "data"

TRICKY = [
    "Észak-Korea és Nyugat-Virginiában, a KN-23 rakéták 10.000 katonát",
    "Verteidigungsminister Rüstungsindustrie Nordkoreas — https://www.tagesschau.de/x, skai.gr @handle #tag",
    "Ο Μπελούσοφ κατ’ ουσίαν είπε: «Ρωσίας»; στρατιωτών",
    "Министр обороны Белоусов, Кёнигсберг, по-русски",
    # not NFC: the tokenizer normalizes first, and the offsets refer to the normalized text
    unicodedata.normalize("NFD", "Pjöngjang Κορέα Ёлка"),
    "soft\u00adhyphen zero\u200bwidth Trump-Rally",
    # lower-case words with a capitalised part, and a title-case letter: names for the names field
    "anti-Trump, pro\u2011Putyin és ǅemal Bijedić, ﬁnn ΣΟΦΙΑ",
]


def texts():
    for path in sorted(DATA.glob("*.txt")):
        yield from path.read_text(encoding="utf-8").split("\n\n")
    yield from TRICKY


@pytest.mark.parametrize("lang", [*LANGUAGES, OTHER, "names"])
def test_analyzed_words_are_the_analyzers_tokens(lang):
    analyzer = name_analyzer() if lang == "names" else analyzer_for(lang)
    for text in texts():
        expected = [(t.text, fold(t.text), t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index")]
        assert list(analyzed_words(text, analyzer)) == expected
        assert list(analyzed_words(text, analyzer)) == expected  # from the cache


def _spans_from_the_analyzers(text, lang, terms, prefixes):
    """What match_spans must give: every token of the full analyzers whose
    term is wanted (or starts with a wanted prefix), overlapping spans merged."""
    starts = tuple(prefixes.get(lang, ()))
    spans = [
        (t.startchar, t.endchar)
        for t in analyzer_for(lang)(text, chars=True, mode="index")
        if t.text in terms.get(lang, ()) or (starts and fold(t.text).startswith(starts))
    ]
    spans += [(t.startchar, t.endchar) for t in name_analyzer()(text, chars=True, mode="index") if t.text in terms.get("names", ())]
    return _merge(spans)  # (the merging is not what is tested)


@pytest.mark.parametrize("lang", [*LANGUAGES, OTHER])
def test_match_spans_mark_what_the_analyzers_index(lang):
    for number, text in enumerate(texts()):
        indexed = [t.text for t in analyzer_for(lang)(text, mode="index")]
        names = [t.text for t in name_analyzer()(text, mode="index")]
        # every third term and name of the text, one that is in no text, and a prefix
        terms = {lang: set(indexed[number % 3 :: 3]) | {"zzzq"}, "names": set(names[::3])}
        cases = [
            ({lang: terms[lang]}, {}),
            ({"names": terms["names"]}, {}),
            (terms, {}),
            ({}, {lang: {fold(indexed[0])[:3]}} if indexed else {}),
            ({lang: {"zzzq"}}, {}),
        ]
        for wanted, prefixes in cases:
            expected = _spans_from_the_analyzers(text, lang, wanted, prefixes)
            assert match_spans(text, lang, wanted, prefixes) == expected, (text, wanted, prefixes)


QUERIES = ["Belousov", "Belouszov", "Kursk", "Korea", "στρατιώτες", "katonák", "Verteidigungsminister", "Nordkorea Russland",
           "министр обороны", "Pjöngjang", "rakét*", "στρατ*", "Verteid*", "минист*", "Kor*", "κορ* Pjöngjang", "rakéta Kim", "Észak-Korea", "Kim Dzsong Un", "Μπελούσοφ Κούρσκ"]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_passages_are_those_of_analyzing_every_word(demo_index, monkeypatch, query):
    """The positions of a result's terms say which words to mark (located);
    without them, counting its terms lets the highlighter leave words
    unanalyzed (learn_words).  Both give the passages that analyzing every word gives."""
    from search import engine as engine_module, highlight
    from search.highlight import HeldTerms, _WordTerms

    located_spans, placed = engine_module.located_spans, []

    def answer(positional=True, learn=engine_module.learn_words):
        monkeypatch.setattr(_WordTerms, "_by_analyzer", {})  # nothing known yet
        monkeypatch.setattr(engine_module, "learn_words", learn)
        spy = lambda *args: placed.append(args) or located_spans(*args)  # noqa: E731
        monkeypatch.setattr(engine_module, "located_spans", spy)  # the title's
        monkeypatch.setattr(highlight, "located_spans", spy)  # the paragraphs'
        if not positional:
            monkeypatch.setattr(HeldTerms, "positional", property(lambda self: False, lambda self, value: None), raising=False)
        placed.clear()
        return engine_module.SearchEngine(demo_index).search(query), len(placed)

    located, spans_located = answer()
    counted, _ = answer(positional=False, learn=engine_module.learn_words)
    everything, none_located = answer(positional=False, learn=lambda *args: None)
    assert located["results"] and spans_located and not none_located, query
    assert located == counted == everything


def test_located_terms_are_in_the_paragraph_that_holds_them_alone(tmp_path):
    """Each position of a body field's or the names field's terms, placed by
    :func:`locate`, is where analyzing its title or paragraph alone puts it."""
    from collections import Counter

    from whoosh import fields

    from index.schema import NAMES_FIELD, build_schema, document, text_field_language
    from search.highlight import TITLE, locate
    from tests.index.test_schema import _articles

    schema = build_schema()

    def positions(fieldname, text):
        field = schema[fieldname]
        return {term: field.format.decode_positions(value) for term, _, _, value in fields.TEXT.index(field, text)}

    def placed(located):
        return Counter((part, kind, at) for part, kinds in located.items() for kind, found in kinds.items() for at in found)

    checked = 0
    for article in _articles(tmp_path):
        doc = document(article)
        held = {NAMES_FIELD: positions(NAMES_FIELD, doc[NAMES_FIELD])}
        held.update((name[5:], positions(name, value)) for name, value in doc.items() if name.startswith("body_"))
        expected = Counter()
        parts = [(TITLE, article.title or "", None)] + [(n, p.text, p.lang) for n, p in enumerate(article.paragraphs)]
        for part, text, lang in parts:
            kinds = [NAMES_FIELD] + ([text_field_language(lang)] if lang else [])
            for kind in kinds:
                fieldname = NAMES_FIELD if kind == NAMES_FIELD else f"body_{kind}"
                expected.update((part, kind, at) for found in positions(fieldname, text).values() for at in found)
        assert placed(locate(held, doc["paragraph_positions"], [p.lang for p in article.paragraphs])) == expected, article.id
        checked += 1
    assert checked > 60


FOLDED_WORDS = ["belousov", "μπελουσοφ", "белоусов", "kursk", "a.b", "x", "", "észak-korea", "ανα(συν)ταξη"]
TERM_SETS = [set(), {"bel"}, {"be", "μπε"}, {"k"}, {"a.b", "ur"}, {"(συ", "nowhere"}, {""}, {"korea", "észak"}]


@pytest.mark.parametrize("terms", TERM_SETS, ids=str)
def test_first_letters_pattern_is_the_substring_test(terms):
    """Which unknown words learn_words analyzes first: those containing the
    first three letters of a term (regular expression characters taken literally)."""
    from search.highlight import _first_letters_pattern

    for word in FOLDED_WORDS:
        expected = any(term[:3] in word for term in terms)
        assert bool(_first_letters_pattern(frozenset(terms)).search(word)) == expected, (word, terms)
