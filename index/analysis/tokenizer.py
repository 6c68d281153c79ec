"""Tokenizer for news text, in the shape of Whoosh's own ``RegexTokenizer``.

Whoosh's default pattern (``\\w+(\\.?\\w+)*``) shreds what news text is full of:
model names (``KN-23``), ranges (``11-12``), thousands (``10.000``), hyphenated
names (``Észak-Korea``), Greek elision (``κατ’``), URLs and handles.  This
tokenizer keeps each of them whole; splitting hyphenated words into their parts
for indexing is the job of :class:`index.analysis.filters.CompoundPartsFilter`.
"""

import re
import unicodedata

from whoosh.analysis import Token, Tokenizer

# Characters that may sit inside a word without ending it: soft hyphen and
# zero-width (non-)joiners, which copy-pasted web text carries.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060"
_WORD = rf"[\w{_INVISIBLE}]+"
_APOSTROPHE = "'\u2019\u02bc"
_HYPHEN = "\\-\u2010\u2011"

TOKEN_PATTERN = re.compile(
    "|".join(
        [
            # URLs: keep whole, minus trailing sentence punctuation.
            r"(?:https?://|www\.)[^\s<>\"«»“”]+[^\s<>\"«»“”.,;:!?)\]]",
            # e-mail addresses
            r"[\w.+-]+@\w[\w-]*(?:\.[\w-]+)+",
            # @handles and #hashtags
            r"[@#]\w+",
            # bare domain names such as skai.gr or pic.twitter.com/VbA270TcUA
            r"[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,6}(?:/[\w/-]+)?(?!\w|\.\w)",
            # numbers with group separators, ranges, times and decimals
            r"\d+(?:[.,:/\-–]\d+)*",
            # words, with inner apostrophes or hyphens, and a trailing elision mark
            rf"{_WORD}(?:[{_APOSTROPHE}{_HYPHEN}]{_WORD})*[{_APOSTROPHE}]?",
        ]
    )
)


#: Recently tokenized texts: a document's body is tokenized for several fields
#: (its language's stemmed and surface-word fields, suggestions, names), and
#: the regular expression is the tokenizer's main cost.
_RECENT = {}
_RECENT_TEXTS = 16


def _matches(value):
    """``(text, start, end)`` of every token of ``value`` (NFC-normalized)."""
    matches = _RECENT.get(value)
    if matches is None:
        if len(_RECENT) >= _RECENT_TEXTS:
            _RECENT.clear()
        text = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
        matches = _RECENT[value] = tuple((m.group(0), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text))
    return matches


class NewsTokenizer(Tokenizer):
    """Splits text into news-aware tokens; positions and character offsets
    refer to the text as given (it is NFC-normalized first only when needed,
    which leaves NFC text, and so its offsets, unchanged)."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            if not unicodedata.is_normalized("NFC", value):
                value = unicodedata.normalize("NFC", value)
            matches = [(value, 0, len(value))]
        else:
            matches = _matches(value)
        for pos, (text, start, end) in enumerate(matches):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token
