"""Index-time analysis one distinct word at a time.

Every filter of our analyzers turns one token into its terms without looking
at the tokens around it (stemming, lemmas, decompounding, name keys,
suggestions), so at index time a word's terms are computed once per process
and reused for each of its occurrences: news vocabulary is Zipfian, and the
filter chain (six to eight generators per token, pymorphy3, Snowball, ICU)
was most of the analysis time of a build.  The only filter that moves the
positions of the tokens after a word, :class:`CompoundPartsFilter`, says by
how much (``positions_taken``).

Queries (``mode="query"``), single-token calls (``tokenize=False``) and
callers that want stopped tokens or the original text run the filters as
Whoosh composes them.
"""

from whoosh.analysis import Token
from whoosh.analysis.analyzers import CompositeAnalyzer

#: Distinct words remembered per analyzer and process (then forgotten at
#: once and relearnt: cheaper than ordering them by use).
WORD_CACHE_SIZE = 100_000


class WordCachedAnalyzer(CompositeAnalyzer):
    """A Whoosh analyzer (tokenizer and filters, as composed with ``|``)
    whose index-time output is the same as the composition's, token for
    token, computed per distinct word."""

    def __init__(self, *composables):
        super().__init__(*composables)
        if any(hasattr(f, "positions_taken") for f in self.items[2:]):
            raise ValueError("a filter that moves positions must come right after the tokenizer")
        self._words = {}

    def __getstate__(self):
        # Whoosh pickles the schema, analyzers included, into the index.
        return {"items": self.items}

    def __setstate__(self, state):
        self.items = state["items"]
        self._words = {}

    def __call__(self, value, no_morph=False, **kwargs):
        if (
            no_morph
            or kwargs.get("mode") != "index"
            or not kwargs.get("tokenize", True)
            or kwargs.get("keeporiginal")
            or not kwargs.get("removestops", True)
        ):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        return self._by_word(value, **kwargs)

    def _analyze_word(self, word):
        """``(terms, positions taken)``: each term as ``(text, position,
        startchar, endchar)`` relative to the word."""
        terms = tuple(
            (t.text, t.pos, t.startchar, t.endchar)
            for t in super().__call__(word, positions=True, chars=True, mode="index", tokenize=False)
        )
        taken = sum(f.positions_taken(word) for f in self.items[1:] if hasattr(f, "positions_taken"))
        if len(self._words) >= WORD_CACHE_SIZE:
            self._words.clear()
        found = self._words[word] = (terms, taken)
        return found

    def _by_word(self, value, positions=False, chars=False, start_pos=0, start_char=0, **kwargs):
        words = self._words
        token = Token(positions, chars, **kwargs)
        token.boost = 1.0
        token.stopped = False
        shift = 0
        for raw in self.items[0](value, positions=positions, chars=chars, start_pos=start_pos, start_char=start_char, mode="index"):
            word = raw.text
            found = words.get(word) or self._analyze_word(word)
            if positions:
                pos = raw.pos + shift
                shift += found[1]
            if chars:
                startchar = raw.startchar
            for text, relpos, relstart, relend in found[0]:
                token.text = text
                if positions:
                    token.pos = pos + relpos
                if chars:
                    token.startchar = startchar + relstart
                    token.endchar = startchar + relend
                yield token
