"""The highlighter's per-word analysis gives exactly what the full analyzers give."""

import unicodedata
from pathlib import Path

import pytest

from index.analysis import LANGUAGES, OTHER, analyzer_for, fold, name_analyzer
from search.highlight import analyzed_words

DATA = Path(__file__).resolve().parents[2] / "data"

TRICKY = [
    "Észak-Korea és Nyugat-Virginiában, a KN-23 rakéták 10.000 katonát",
    "Verteidigungsminister Rüstungsindustrie Nordkoreas — https://www.tagesschau.de/x, skai.gr @handle #tag",
    "Ο Μπελούσοφ κατ’ ουσίαν είπε: «Ρωσίας»; στρατιωτών",
    "Министр обороны Белоусов, Кёнигсберг, по-русски",
    # not NFC: the tokenizer normalizes first, and the offsets refer to the normalized text
    unicodedata.normalize("NFD", "Pjöngjang Κορέα Ёлка"),
    "soft\u00adhyphen zero\u200bwidth Trump-Rally",
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
