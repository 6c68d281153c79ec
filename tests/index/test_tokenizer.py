"""The tokenizer's fast path against the reference: TOKEN_PATTERN run over
the whole text, which is what the tokenizer did before it skipped the URL,
e-mail and domain alternatives in runs of text that cannot hold them."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA

from index.analysis.tokenizer import TOKEN_PATTERN, NewsTokenizer, token_spans, token_texts
from index.sources import load_paths


def reference(text):
    text = unicodedata.normalize("NFC", text)
    return [(m.group(0), m.span()) for m in TOKEN_PATTERN.finditer(text)]


def fast(text):
    return list(zip(token_texts(text), token_spans(text)))


TRICKY = [
    # URLs, with and without trailing punctuation, in brackets and quotes
    "Πηγή: https://www.skai.gr/news/world/a-b?x=1&y=2. Και",
    "(δείτε www.ertnews.gr/eidiseis), «http://t.co/AbC»",
    "pic.twitter.com/VbA270TcUA — August 1, 2023",
    "https://", "www.", "http://x", "www.x.", "a://b",
    # e-mail addresses, handles, hashtags
    "Kontakt: info@tagesschau.de, max.muster+news@mail.example.co.uk.",
    "@KCNA_Watch #Ukraine #Україна @ alone # alone a@b a@b.c x@@y.z",
    # domain names (and what only looks like one)
    "skai.gr, naftemporiki.gr. index.hu/kulfold/2023 RT.com Ria.Ru tass.ru.",
    "ende.Anfang z.B. d.h. U.S.A. e.on Ж.gr 1.gr a-.gr -a.gr a.b.cd.efghijk",
    "Korea.De Korea.de. korea.dex Korea.d a.bc.d a..bc a.b/ a.b/c/-/d",
    # numbers, ranges, times, decimals
    "10.000 Soldaten, 11-12 Uhr, 3,5 %, 12:30, 1/2, 2022–2023, 1.2.3.4, 1..2, 5.",
    "KN-23, F-16s, 1990er, 2.000-3.000 Mann, 9.30h, 0.5x",
    # hyphens and apostrophes inside words, elision
    "Észak-Korea ENSZ-nagykövete Nyugat‐Virginiában Nord‑Korea -Korea Korea-",
    "κατ’ αυτές, κατ' αυτές, απ’ όλα, σ’ ένα, rock'n'roll, O’Neill’s, l'ʼa",
    # soft hyphen and zero-width characters inside words
    "Verteidi\u00adgungsminister Zero\u200bWidth Join\u200dNon\u200cWord\u2060",
    # NFD input, ő/ű and their look-alikes, ё, final sigma, tonos and diaeresis
    unicodedata.normalize("NFD", "Άμυνας προϋπολογισμός ő ű Ёлка"),
    "nőhet nõhet erők ûr Ёж ёлка Ρωσίας ΡΩΣΙΑΣ ς ΐ ΰ",
    # whitespace of every kind between runs
    "a\u00a0b\u2003c\td\ne\u3000f.gr\u2028g@h.ij\x85k",
    "", " ", ".", "...", "a.", ".a", "a. b", "a .b", "@", "#", "://",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_and_offsets_are_the_reference_ones(text):
    assert fast(text) == reference(text)


def test_the_demo_articles_get_the_reference_tokens():
    texts = [raw.text for raw in load_paths([DATA])]
    assert texts
    for text in texts:
        assert fast(text) == reference(text)


# Characters that make or break URLs, addresses, domains, numbers and words.
_ALPHABET = list("ab.:/@#-'’\u00ad _1é\u00a0\n«)?,ωЖ") + ["www.", "http://", ".gr", "skai", "10.000"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join))
def test_generated_texts_get_the_reference_tokens(text):
    assert fast(text) == reference(text)


def test_the_tokenizer_emits_the_fast_tokens_with_offsets():
    text = "Πηγή: skai.gr, 10.000 Soldaten"
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in NewsTokenizer()(text, positions=True, chars=True)]
    assert tokens == [(t, i, s, e) for i, (t, (s, e)) in enumerate(reference(text))]
