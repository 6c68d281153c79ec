"""Indexing a text's tokens through a table of what each distinct token text
becomes, instead of through the analyzer's chain of generators.

Every filter of our analyzers turns a token into its terms from that token's
text alone (and the mode): stop words are dropped with their position kept
(``renumber=False``), stems, lemmas, name keys and compound parts depend on
the word only.  The one thing a token passes on to the tokens after it is
position: :class:`~index.analysis.filters.CompoundPartsFilter` gives each part
of a hyphenated token a position of its own, and moves every later token by as
many.  So at index time a text's terms are its tokens' terms, each token's at
the token's position plus the offsets the analyzer gives it alone, and each
token text needs analyzing once per process, not once per occurrence: news
vocabulary repeats, and each filter of the chain is a Python call per token
(together the largest part of a build's analysis).

:func:`indexed_values` gives what Whoosh's ``Positions`` and ``Frequency``
formats' (and :class:`index.formats.VarintPositions`') ``word_values`` give for the same text, in the same order, for the
analyzers whose filters all say they are ``token_local``, and None for
any other analyzer, value or format (which then go through Whoosh's own path).
The query side (``mode="query"``) and highlighting (character offsets) always
run the real chain.
"""

import weakref
from collections import Counter

from whoosh.analysis import StopFilter
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from ..formats import VarintPositions
from .filters import CompoundPartsFilter, hyphen_parts
from .tokenizer import NewsTokenizer, recent_token_texts

#: Token texts whose terms are kept per analyzer (then the table starts over).
TABLE_SIZE = 200_000


def _is_token_local(item):
    # A filter says so with ``token_local = True``: its output for a token
    # depends on that token's text and the mode only (it neither looks at
    # other tokens nor renumbers positions).  Whoosh's stop filter is, when it
    # leaves gaps.
    if type(item) is StopFilter:
        return not item.renumber
    return getattr(item, "token_local", False)


class TokenTerms:
    """What one analyzer indexes each token text under, alone, at index time,
    for the token texts seen (up to ``size``, then it starts over).  An entry
    is the term (UTF-8) for the most common token, one term at the token's own
    position; None for a token without terms (a stop word), which takes its
    position all the same; otherwise ``(((term, position offset), ...),
    positions taken)``."""

    def __init__(self, items, size=TABLE_SIZE):
        self._tokenizer, self._filters = items[0], items[1:]
        # The parts of a hyphenated token take positions of their own; the
        # split is made on the token as the tokenizer gives it (see token_terms).
        self._splits = bool(self._filters) and type(self._filters[0]) is CompoundPartsFilter
        self.size = size
        self.entries = {}

    def learn(self, texts):
        """The table, holding an entry for each token text of the set ``texts``.
        The texts not yet seen are analyzed in one pass of the chain, as a text
        of those tokens would be: each output token belongs to the token last
        read, since no filter reads a token before it has yielded all of the
        previous one's.  Their entries are added complete, and a full table is
        replaced, not cleared, so a thread reading the table meanwhile finds
        what it found before."""
        entries = self.entries
        # (a set less a dict looks each text up; less the dict's keys view it
        # would walk the whole table)
        new = texts.difference(entries)
        if not new:
            return entries
        if len(entries) + len(new) > self.size:
            entries = self.entries = {}
            new = texts
        learned = {}
        reading = [None, 0]  # the token's terms, its position in the chain

        def read():
            position = 0
            for text in new:
                terms = []
                width = (len(hyphen_parts(text)) or 1) if self._splits else 1
                learned[text] = (terms, width)
                reading[0], reading[1] = terms, position
                position += width
                yield text

        gen = self._tokenizer.tokens(read(), positions=True, boosts=True, mode="index")
        for item in self._filters:
            gen = item(gen)
        for t in gen:
            if not t.stopped:
                # as Whoosh's field.index encodes terms
                reading[0].append((t.text.encode("utf-8"), t.pos - reading[1]))
        entries.update((text, _entry(terms, width)) for text, (terms, width) in learned.items())
        return entries

    def positions(self, texts):
        """``{term: [position, ...]}`` for the tokens ``texts`` in order, as
        the analyzer's chain positions them, terms in the order they first come."""
        entries = self.learn(set(texts))
        poses = {}
        pos = 0
        for text in texts:
            entry = entries[text]
            if entry.__class__ is bytes:
                found = poses.get(entry)
                if found is None:
                    poses[entry] = [pos]
                else:
                    found.append(pos)
                pos += 1
            elif entry is None:
                pos += 1
            else:
                terms, width = entry
                for term, offset in terms:
                    found = poses.get(term)
                    if found is None:
                        poses[term] = [pos + offset]
                    else:
                        found.append(pos + offset)
                pos += width
        return poses

    def frequencies(self, texts):
        """``{term: occurrences}`` for the tokens ``texts``, terms in the order
        they first come (each distinct text is looked at once: the texts come
        in the order of their first occurrence, and so do their terms)."""
        counts = Counter(texts)
        entries = self.learn(set(counts))
        freqs = {}
        for text, count in counts.items():
            entry = entries[text]
            if entry.__class__ is bytes:
                freqs[entry] = freqs.get(entry, 0) + count
            elif entry is not None:
                for term, _ in entry[0]:
                    freqs[term] = freqs.get(term, 0) + count
        return freqs


def _entry(terms, width):
    # Bytes and None are no containers: the garbage collector need not walk
    # the table's most common entries (and drops the rest, tuples of bytes and
    # numbers, from its lists after one look).
    if width == 1:
        if not terms:
            return None
        if len(terms) == 1 and terms[0][1] == 0:
            return terms[0][0]
    return tuple(terms), width


#: id(analyzer) → its table, while the analyzer lives.
_tables = {}


def token_terms(analyzer):
    """The :class:`TokenTerms` of ``analyzer``, or None when its tokens are not
    analyzed alone alike (another tokenizer, or a filter not known to be
    token-local)."""
    key = id(analyzer)
    table = _tables.get(key)
    if table is None:
        items = getattr(analyzer, "items", None)
        local = (
            bool(items)
            and type(items[0]) is NewsTokenizer
            and all(map(_is_token_local, items[1:]))
            # only right after the tokenizer does the split see the token's own text
            and all(type(item) is not CompoundPartsFilter for item in items[2:])
        )
        table = TokenTerms(items) if local else False
        _tables[key] = table
        weakref.finalize(analyzer, _tables.pop, key, None)
    return table or None


#: The formats whose values are made here: frequencies, or positions in an encoding of their own.
_FORMATS = (Frequency, Positions, VarintPositions)
#: format class → ``format.encode([position])`` by position: most terms occur once in a text.
_ONE_POSITION = {}
_ONE_POSITION_LIMIT = 1 << 16


def indexed_values(analyzer, format, value):
    """``(term, frequency, weight, encoded value)`` for each term of ``value``
    (the term as UTF-8), what Whoosh's ``field.index(value)`` gives through
    ``format.word_values(value, analyzer, mode="index")``, or None when the
    table cannot give it."""
    if type(value) is not str or type(format) not in _FORMATS:
        return None
    table = token_terms(analyzer)
    if table is None:
        return None
    boost = format.field_boost
    texts = recent_token_texts(value)
    # Every token's boost is 1.0, so a term's weight is its count.
    if type(format) is not Frequency:
        encode = format.encode
        once = _ONE_POSITION.get(type(format))
        if once is None:
            once = _ONE_POSITION[type(format)] = {}
        values = []
        for term, found in table.positions(texts).items():
            if len(found) == 1:
                encoded = once.get(found[0])
                if encoded is None:
                    encoded = encode(found)
                    if found[0] < _ONE_POSITION_LIMIT:
                        once[found[0]] = encoded
                values.append((term, 1, 1.0 * boost, encoded))
            else:
                values.append((term, len(found), float(len(found)) * boost, encode(found)))
        return values
    return [(term, freq, float(freq) * boost, pack_uint(freq)) for term, freq in table.frequencies(texts).items()]
