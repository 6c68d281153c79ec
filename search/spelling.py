"""Spelling: the words of the index within a few edits of a typed word, for
:meth:`search.expand.Expander.correct`.

The words are those Whoosh's ``reader.terms_within(fieldname, text, maxdist,
prefix=1)`` gives: the terms of the field with the typed word's first letter
whose Damerau-Levenshtein distance (Whoosh's, an adjacent transposition
counting one edit) is at most ``maxdist``.  Whoosh measures that distance in
Python for every term with that first letter (an index built with workers or
added to has several segments, whose reader has no automaton), thousands per
typed word, and that was most of a typo query's time.  Here each candidate is
first measured with a bit-parallel algorithm (Hyyrö's, one machine-word
operation per letter instead of one Python step per pair of letters); only
the few it finds close enough are measured by Whoosh's function, which has
the last word, so the words found are exactly Whoosh's.  Before either, a
word whose letters differ too much from the typed word's is ruled out by a
comparison of two integers (:func:`letter_mask`): most candidates, at a small
fraction of the cost of measuring them.  A field's words with a first letter,
grouped by length with their letter masks, are read once per index version.
"""

import threading
import weakref
from collections import OrderedDict

from whoosh.support.levenshtein import distance as edit_distance

#: (field, first letter) word lists kept per index version, least recently
#: used dropped first.  The five ``words_<lang>`` fields of 50,000 articles
#: have 291 first letters (151,000 words, about 20 MB of lists); the bound is
#: for an index of many scripts, whose first letters are thousands.
CACHED_LETTERS = 512
#: Words the warm-up reads at most (checked before each field): about 250
#: bytes of lists a word, and 7 µs, so that a worker of a very large index
#: does not start with seconds of reading and hundreds of MB it may not need.
WARM_UP_WORDS = 500_000


def bit_parallel_distance(pattern_bits, length, word):
    """The optimal-string-alignment distance (Levenshtein, with adjacent
    transpositions as one edit) between the pattern described by
    ``pattern_bits`` (:func:`pattern_bits`) and ``length``, and ``word``
    (Hyyrö 2003, "A bit-vector algorithm for computing Levenshtein and
    Damerau edit distances")."""
    if not length:
        return len(word)
    top = 1 << (length - 1)
    mask = (1 << length) - 1
    positive, negative, score = mask, 0, length
    previous_eq, previous_d0 = 0, 0
    for char in word:
        eq = pattern_bits.get(char, 0)
        transposed = (((~previous_d0) & eq) << 1) & previous_eq
        d0 = ((((eq & positive) + positive) ^ positive) | eq | negative | transposed) & mask
        horizontal_positive = negative | (~(d0 | positive) & mask)
        horizontal_negative = d0 & positive
        if horizontal_positive & top:
            score += 1
        elif horizontal_negative & top:
            score -= 1
        horizontal_positive = ((horizontal_positive << 1) | 1) & mask
        horizontal_negative = (horizontal_negative << 1) & mask
        positive = horizontal_negative | (~(d0 | horizontal_positive) & mask)
        negative = horizontal_positive & d0
        previous_eq, previous_d0 = eq, d0
    return score


def letter_mask(word):
    """A bit per letter of ``word`` (the letter's code point modulo 64: the
    letters of one alphabet rarely share a bit).

    One edit (an insertion, a deletion, a substitution, a swap of neighbours)
    adds at most one letter to a word's set of letters and removes at most
    one, and each bit set in ``letter_mask(a) ^ letter_mask(b)`` stands for a
    different letter in one of the words that the other lacks.  So words
    within ``n`` edits have masks that differ in at most ``2 * n`` bits; a
    word whose mask differs in more is further away (letters sharing a bit
    only make the masks more alike, never less)."""
    mask = 0
    for char in word:
        mask |= 1 << (ord(char) & 63)
    return mask


def pattern_bits(text):
    """``{letter: bit mask of its positions in text}``."""
    bits = {}
    for position, char in enumerate(text):
        bits[char] = bits.get(char, 0) | (1 << position)
    return bits


class Vocabulary:
    """The words of a reader's fields by first letter and length."""

    def __init__(self, reader):
        self.reader = reader
        self._lists = OrderedDict()
        self._lock = threading.Lock()

    def by_length(self, fieldname, first):
        """``{length: ([words], [their letter masks])}`` of the terms of
        ``fieldname`` starting with ``first``, in term order."""
        key = (fieldname, first)
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
                return found
        fieldobj = self.reader.schema[fieldname]
        words = set()
        # each segment's terms on their own: merging the term lists costs more
        for leaf, _ in self.reader.leaf_readers():
            words.update(fieldobj.from_bytes(btext) for btext in leaf.expand_prefix(fieldname, first))
        found = _by_length(words)
        self._keep(key, found)
        return found

    def _keep(self, key, found):
        with self._lock:
            self._lists[key] = found
            while len(self._lists) > CACHED_LETTERS:
                self._lists.popitem(last=False)

    def warm_up(self, fieldnames):
        """Read the words of ``fieldnames`` by first letter, as
        :meth:`by_length` would one letter at a time, the letters with the
        most words first (up to :data:`CACHED_LETTERS`): a server's worker
        reads them before its first request, instead of a typo query paying
        for its letter (a few milliseconds to 20 for a common one) in every
        worker that has not met it yet.  One walk along each field's terms,
        until :data:`WARM_UP_WORDS` have been read (the other fields' letters
        are read when first asked for, as before)."""
        lists = []
        read = 0
        for fieldname in fieldnames:
            if fieldname not in self.reader.schema or read >= WARM_UP_WORDS:
                continue
            fieldobj = self.reader.schema[fieldname]
            by_first = {}
            for leaf, _ in self.reader.leaf_readers():
                for btext in leaf.lexicon(fieldname):
                    word = fieldobj.from_bytes(btext)
                    by_first.setdefault(word[:1], set()).add(word)
            lists += [(len(words), fieldname, first, words) for first, words in by_first.items()]
            read += sum(map(len, by_first.values()))
        lists.sort(key=lambda row: row[0], reverse=True)
        kept = lists[:CACHED_LETTERS]
        # the largest letters kept last, so that they are the last an overflow drops
        for _, fieldname, first, words in reversed(kept):
            self._keep((fieldname, first), _by_length(words))
        return len(kept)

    def within(self, fieldname, text, maxdist):
        """The terms of ``fieldname`` that start with the first letter of
        ``text`` and are within ``maxdist`` edits of it, in term order."""
        if not text:
            return []
        lists = self.by_length(fieldname, text[:1])
        bits, length = pattern_bits(text), len(text)
        typed_mask, most_bits = letter_mask(text), 2 * maxdist
        found = []
        for size in range(length - maxdist, length + maxdist + 1):
            words, masks = lists.get(size, ((), ()))
            for word, mask in zip(words, masks):
                if (
                    (mask ^ typed_mask).bit_count() <= most_bits
                    and bit_parallel_distance(bits, length, word) <= maxdist
                    and edit_distance(word, text, limit=maxdist) <= maxdist
                ):
                    found.append(word)
        return sorted(found)


def _by_length(words):
    """``{length: ([words], [their letter masks])}``, the words in order."""
    found = {}
    for word in sorted(words):
        found.setdefault(len(word), ([], []))[0].append(word)
    for same_length, masks in found.values():
        masks.extend(map(letter_mask, same_length))
    return found


_VOCABULARIES = weakref.WeakKeyDictionary()
_VOCABULARIES_LOCK = threading.Lock()


def vocabulary(reader):
    """The :class:`Vocabulary` of ``reader`` (one per open index version)."""
    with _VOCABULARIES_LOCK:
        found = _VOCABULARIES.get(reader)
        if found is None:
            found = _VOCABULARIES[reader] = Vocabulary(reader)
        return found
