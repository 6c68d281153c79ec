"""Tokenizer for news text, in the shape of Whoosh's own ``RegexTokenizer``.

Whoosh's default pattern (``\\w+(\\.?\\w+)*``) shreds what news text is full of:
model names (``KN-23``), ranges (``11-12``), thousands (``10.000``), hyphenated
names (``Észak-Korea``), Greek elision (``κατ’``), URLs and handles.  This
tokenizer keeps each of them whole; splitting hyphenated words into their parts
for indexing is the job of :class:`index.analysis.filters.CompoundPartsFilter`.
"""

import re
import unicodedata
from itertools import chain

from whoosh.analysis import Token, Tokenizer

# Characters that may sit inside a word without ending it: soft hyphen and
# zero-width (non-)joiners, which copy-pasted web text carries.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060"
_WORD = rf"[\w{_INVISIBLE}]+"
_APOSTROPHE = "'\u2019\u02bc"
_HYPHEN = "\\-\u2010\u2011"

# Numbers with group separators, ranges, times and decimals, and words with
# inner apostrophes or hyphens and a trailing elision mark: all that text
# without a mark of a URL, address, handle or domain name holds.
_PLAIN = [
    r"\d+(?:[.,:/\-–]\d+)*",
    rf"{_WORD}(?:[{_APOSTROPHE}{_HYPHEN}]{_WORD})*[{_APOSTROPHE}]?",
]

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
            *_PLAIN,
        ]
    )
)
#: TOKEN_PATTERN without the alternatives that need a mark (:data:`_MARK`):
#: most of a text is words, and the URL, e-mail and domain alternatives cost
#: a scan and a backtrack over every word before the word alternative is tried.
PLAIN_PATTERN = re.compile("|".join(_PLAIN))
# What a URL ("://", "www."), an e-mail address or a handle ("@", "#") and a
# domain name (a dot and more of the word) cannot be without.  No token holds
# whitespace, so a run of non-space characters without one of these marks
# gets the same tokens from PLAIN_PATTERN as from TOKEN_PATTERN.
_MARK = re.compile(r"[@#]|://|\.\S")
_NON_SPACE = re.compile(r"\S*")
_SPAN = re.Match.span


def _pieces(text):
    """``(pattern, start, end)`` covering ``text`` in order: TOKEN_PATTERN for
    each run of non-space characters with a mark, PLAIN_PATTERN between them."""
    pos, length, reverse = 0, len(text), None
    mark = _MARK.search(text)
    while mark:
        at = mark.start()
        if reverse is None:
            # Read backwards to the start of the mark's run (re has no backward search).
            reverse = text[::-1]
        start = at - (_NON_SPACE.match(reverse, length - at).end() - (length - at))
        end = _NON_SPACE.match(text, at).end()
        yield PLAIN_PATTERN, pos, start
        yield TOKEN_PATTERN, start, end
        pos = end
        mark = _MARK.search(text, end)
    yield PLAIN_PATTERN, pos, length


def nfc(value):
    """``value`` as the tokenizer reads it (NFC): its tokens' offsets are into this."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def token_texts(value):
    """The text of every token of ``value`` (NFC-normalized): all that
    indexing asks for, and cheaper than match objects."""
    text = nfc(value)
    texts = []
    for pattern, start, end in _pieces(text):
        texts += pattern.findall(text, start, end)
    return tuple(texts)


def token_spans(value):
    """``(start, end)`` of every token of ``value`` (NFC-normalized), in the
    order of :func:`token_texts`."""
    text = nfc(value)
    # (Match.span mapped, not called from a generator: a Python step per token less)
    return tuple(chain.from_iterable(map(_SPAN, pattern.finditer(text, start, end)) for pattern, start, end in _pieces(text)))


class Recent:
    """``compute(value)`` remembered for the last ``size`` values (then it
    starts over).  The tokenizer keeps its last texts' tokens: a document's
    body is tokenized for several fields (its language's stemmed and
    surface-word fields, suggestions, names), and the regular expression is
    its main cost."""

    def __init__(self, compute, size=16):
        self._compute = compute
        self.size = size
        self._results = {}

    def __call__(self, value):
        result = self._results.get(value)
        if result is None:
            result = self.remember(value, self._compute(value))
        return result

    def remember(self, value, result):
        """Keep ``result`` as ``compute(value)``, known by other means."""
        if len(self._results) >= self.size:
            self._results.clear()
        self._results[value] = result
        return result


#: :func:`token_texts` of the last texts (see :class:`Recent`).
recent_token_texts = Recent(token_texts, 32)
_spans = Recent(token_spans)


class NewsTokenizer(Tokenizer):
    """Splits text into news-aware tokens; positions and character offsets
    refer to the text as given (it is NFC-normalized first only when needed,
    which leaves NFC text, and so its offsets, unchanged)."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, chars=False, tokenize=True, **options):
        """The tokens of ``value`` (the whole value as one token if not
        ``tokenize``), with Whoosh's tokenizer options (see :meth:`tokens`)."""
        if not tokenize:
            texts = (nfc(value),)
            spans = ((0, len(texts[0])),)
        else:
            texts = recent_token_texts(value)
            spans = _spans(value) if chars else ()
        return self.tokens(texts, spans, chars=chars, **options)

    def tokens(
        self,
        texts,
        spans=(),
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        """The tokens of the token texts ``texts`` (and their ``spans``, when
        ``chars``), as the tokenizer yields them for a text: the token texts
        are read one at a time, as the analyzer's filters ask for the next."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(texts):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                start, end = spans[pos]
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token
