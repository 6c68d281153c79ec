"""Completions for a search box: titles of matching articles and frequent
words of the index that start with what is being typed.

Words come from the vocabularies of the ``words_<lang>`` fields (the unstemmed
words that spelling correction reads, folded: lower case, Greek without
accents, ``ё`` as ``е``; see :func:`index.analysis.build_word_analyzer`), so
a typed prefix, with or without accents, is one range of each field's term
list, ranked by document frequency summed over the languages.  A folded word
is shown as the articles write it (``αθήνα``, ``straße``, ``ещё``):
:class:`ShownForms` reads it from the stored text of the first documents
that hold the word, for the few words an answer shows; the completion table
brings those of the frequent words.  Nothing in the index is kept for it.
Results are cached per index version.

A common beginning (``de``, ``по``, ``πρ``) matches thousands of words and the
titles of thousands of articles: its answer is computed once per index
version by :meth:`Suggester.common_completions` (at build time, see
:mod:`search.completions`) and looked up; any other beginning has few
completions and is read from the index at request time, in bounded time.
"""

import collections
import functools
import heapq
import itertools
import re

from whoosh import query as q
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import TermNotFound

from index.analysis import fold
from index.language import script_of
from index.schema import term_text

from .collect import TopAndAllCollector

#: Terms read for one prefix at most; short prefixes match many words.
MAX_SCANNED = 2000
MAX_TITLES = 3
TITLE_FIELD = "title_suggest"
#: The fields whose vocabularies are the word completions.
WORD_FIELD_PREFIX = "words_"
#: Words shorter than this are not offered (``de``, ``το`` complete nothing).
MIN_WORD = 3
#: Title words a typed beginning may stand for: the first ones in order (the
#: shortest completions first), so that two letters cost no more than five.
MAX_TITLE_COMPLETIONS = 64
MIN_PREFIX = 2
#: Word and title completions kept per index version, by typed beginning
#: (folded: ``De`` and ``de`` share theirs).
CACHED_PREFIXES = 4096
#: A beginning is common, and its answer precomputed, when more words than
#: this start with it (the request-time walk reads at most this many terms
#: per segment for any other) ...
COMMON_WORDS = 256
#: ... or when it starts more title words than this (the request-time title
#: search costs a matcher per completion and segment, ~50 µs each) ...
COMMON_TITLE_COMPLETIONS = 16
#: ... or when its title completions have more postings than this (the
#: request-time title search scores at most this many for any other).
COMMON_TITLE_POSTINGS = 256
#: Words kept per common beginning: more than a search box asks for (the API
#: allows 20), with one to spare for the typed word itself.
KEPT_WORDS = 24
#: Documents read at most to find how a word is written.
SHOWN_DOCUMENTS = 3
#: Shown forms kept per index version.
CACHED_SHOWN = 20_000
#: Words in this many documents or more are shown as the completion table
#: says (computed at build time), not looked up at request time.
KNOWN_SHOWN = 32


def word_fields(schema):
    """The fields whose terms are the index's words, in every language."""
    return [name for name in schema.names() if name.startswith(WORD_FIELD_PREFIX)]


def _field_terms(leaf, fieldname, prefix=b"", limit=None):
    """``(term bytes, document count)`` of the first ``limit`` terms of
    ``fieldname`` in the segment reader ``leaf`` that start with ``prefix``,
    in term order.

    Whoosh's ``iter_prefix`` builds a term-info object for each, and a term
    of a single document (most of the completions) has its posting pickled
    inline in the term table, which it unpickles: most of a short prefix's
    time.  The count is in the fixed-size header of the term's entry, read
    here alone (the terms and counts are the same; an index whose segments
    are not of Whoosh's own format is read through ``iter_prefix``)."""
    try:
        table, keycoder = leaf._terms._tindex, leaf._terms._keycoder
        header = W3TermInfo._struct
    except AttributeError:
        for scanned, (term, info) in enumerate(leaf.iter_prefix(fieldname, prefix)):
            if limit is not None and scanned >= limit:
                return
            yield term, info.doc_frequency()
        return
    field_key = keycoder(fieldname, b"")
    start = keycoder(fieldname, prefix)
    for scanned, (key, value) in enumerate(table.items_from(start)):
        if (limit is not None and scanned >= limit) or not key.startswith(start):
            return
        # the header: flags, weight, document count, ...
        yield key[len(field_key) :], header.unpack(value[: header.size])[2]


def _document_counts(leaf, fieldname, prefix, limit):
    """:func:`_field_terms` for a text ``prefix``."""
    return _field_terms(leaf, fieldname, prefix.encode("utf-8"), limit)


def _merged_counts(reader, fieldnames, prefix="", limit=None):
    """``{term: document count}`` over all segments and ``fieldnames``, for
    the first ``limit`` terms of each that start with ``prefix``."""
    frequencies = {}
    for leaf, _ in reader.leaf_readers():
        for fieldname in fieldnames:
            for term, count in _document_counts(leaf, fieldname, prefix, limit):
                frequencies[term] = frequencies.get(term, 0) + count
    return frequencies


def _sorted_counts(reader, fieldnames):
    """``(term text, document count)`` of every term of ``fieldnames``, in
    term order, counts summed over segments and fields: the segments' term
    tables merged as they are read, so that no list of the whole vocabulary
    is ever held."""
    streams = [_field_terms(leaf, fieldname) for leaf, _ in reader.leaf_readers() for fieldname in fieldnames]
    merged = heapq.merge(*streams, key=lambda entry: entry[0])
    for term, entries in itertools.groupby(merged, key=lambda entry: entry[0]):
        yield term.decode("utf-8"), sum(count for _, count in entries)


def _by_beginning(counts):
    """Lists of ``(term, count)`` of ``counts`` (sorted by term) that share
    their first ``MIN_PREFIX`` letters: one at a time, each small."""
    long_enough = ((term, count) for term, count in counts if len(term) >= MIN_PREFIX)
    for _, members in itertools.groupby(long_enough, key=lambda entry: entry[0][:MIN_PREFIX]):
        yield list(members)


def _beginnings(terms, common):
    """``(beginning, its terms)`` for every beginning of ``MIN_PREFIX``
    letters or more of the sorted ``terms`` (``(folded, payload)`` pairs) for
    which ``common(its terms)`` holds; a longer beginning is only looked at
    inside a common one."""
    groups, length = [terms], MIN_PREFIX
    while groups:
        found = []
        for group in groups:
            long_enough = (term for term in group if len(term[0]) >= length)
            for beginning, members in itertools.groupby(long_enough, key=lambda term: term[0][:length]):
                members = list(members)
                if common(members):
                    yield beginning, members
                    found.append(members)
        groups, length = found, length + 1


#: The word field of a script's language, read first for a word of that script.
_WORD_FIELD_OF_SCRIPT = {"Greek": "words_el", "Cyrillic": "words_ru"}
#: How a folded letter may be written in lower case: Greek accents and
#: diaereses, ``ё``.
_ACCENTED = {"α": "ά", "ε": "έ", "η": "ή", "ι": "ίϊΐ", "ο": "ό", "υ": "ύϋΰ", "ω": "ώ", "е": "ё"}
#: A Greek word has one accent, and may have a diaeresis besides (``ευρωπαϊκή``).
_DIAERESES = "ϊϋ"
#: Letters of a folded word that may stand for others as written: Greek
#: letters (accents, the last ``ς``), Cyrillic ``е`` (``ё``), and ``ss`` (``ß``).
_AMBIGUOUS = re.compile("[\u0370-\u03ffе]|ss")
#: A folded word's ``ss`` tried as ``ß`` at most in this many places.
MAX_SHARP_S = 3


def _spellings(term):
    """How the folded word ``term`` may be written in lower case: as it is,
    with one letter accented, or one accented and one with a diaeresis
    (``αθήνα``, ``ευρωπαϊκή``, ``ещё``), with a
    last ``ς``, and with its first ``MAX_SHARP_S`` ``ss`` as ``ß``
    (``straße``); a few dozen at most, each looked for with ``str.find``."""
    if term.endswith("σ"):
        term = term[:-1] + "ς"
    marked = [(i, accented) for i, letter in enumerate(term) for accented in _ACCENTED.get(letter, "")]
    spellings = [term]
    for n, (i, accented) in enumerate(marked):
        spellings.append(term[:i] + accented + term[i + 1 :])
        for j, other in marked[n + 1 :]:
            if j != i and (accented in _DIAERESES) != (other in _DIAERESES):
                spellings.append(term[:i] + accented + term[i + 1 : j] + other + term[j + 1 :])
    pieces = term.split("ss")
    if len(pieces) > 1:
        kept = min(len(pieces) - 1, MAX_SHARP_S)
        for choice in itertools.product(("ss", "ß"), repeat=kept):
            joined = pieces[0]
            for i, piece in enumerate(pieces[1:]):
                joined += (choice[i] if i < kept else "ss") + piece
            spellings.append(joined)
    return list(dict.fromkeys(spellings))


def _written(text, spellings):
    """``(the word as written in lower case, written in capitals)`` for each
    place where ``text`` has one of ``spellings`` as a word."""
    lowered = text.lower()
    same_places = len(lowered) == len(text)
    for spelling in spellings:
        start = lowered.find(spelling)
        while start >= 0:
            end = start + len(spelling)
            if (start == 0 or not lowered[start - 1].isalnum()) and (end == len(lowered) or not lowered[end].isalnum()):
                yield spelling, same_places and end - start > 1 and text[start:end].isupper()
            start = lowered.find(spelling, start + 1)


class ShownForms:
    """How the articles write a folded word of the index: the lower-case
    form most used in the first SHOWN_DOCUMENTS of its documents, where not
    written in capitals (``ΑΘΗΝΑ`` drops the accents ``Αθήνα`` keeps); folded
    words may be two (``παρά`` and ``πάρα``), shown as the more used.

    A word whose folded form is its only spelling (most German and
    Hungarian words) is shown as it is, without reading anything; one whose
    spelling is none of :func:`_spellings` (three accents) as folded."""

    def __init__(self, searcher, known=None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.fields = word_fields(self.reader.schema)
        #: ``{folded word: shown}`` computed before (the completion table's ``shown``).
        self.known = known or {}
        self.shown = functools.lru_cache(maxsize=CACHED_SHOWN)(self._shown)

    @staticmethod
    def is_ambiguous(term):
        """Whether ``term``'s folded form may hide how it is written."""
        return bool(_AMBIGUOUS.search(term))

    def _documents(self, term):
        """The first SHOWN_DOCUMENTS documents of the first segment and field
        holding ``term`` (the field of its script's language first)."""
        own = _WORD_FIELD_OF_SCRIPT.get(script_of(term))
        fields = sorted(self.fields, key=lambda fieldname: fieldname != own)
        for leaf, offset in self.reader.leaf_readers():
            for fieldname in fields:
                try:
                    matcher = leaf.postings(fieldname, term)
                except TermNotFound:
                    continue
                for _ in range(SHOWN_DOCUMENTS):
                    if not matcher.is_active():
                        break
                    yield offset + matcher.id()
                    matcher.next()
                return

    def _shown(self, term):
        if not self.is_ambiguous(term):
            return term
        known = self.known.get(term)
        if known is not None:
            return known
        spellings = _spellings(term)
        capitals = None
        written = collections.Counter()
        for docnum in self._documents(term):
            stored = self.searcher.stored_fields(docnum)
            for text in (stored.get("title") or "", stored.get("body") or ""):
                for word, in_capitals in _written(text, spellings):
                    if in_capitals:
                        capitals = capitals or word
                    else:
                        written[word] += 1
        if written:
            return written.most_common(1)[0][0]
        if capitals:
            return capitals
        # A Greek word's last sigma is written ς.
        return term[:-1] + "ς" if term.endswith("σ") else term


class Suggester:
    """``common``: the precomputed answers of common beginnings
    (:meth:`common_completions`, as :mod:`search.completions` stores them)."""

    def __init__(self, searcher, common=None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.word_fields = word_fields(self.reader.schema)
        self.has_common = common is not None
        common = common or {}
        self.shown_forms = ShownForms(searcher, common.get("shown"))
        self.common_words = common.get("words", {})
        self.common_titles = common.get("titles", {})
        self.suggest = functools.lru_cache(maxsize=4096)(self._suggest)
        self._cached_words = functools.lru_cache(maxsize=CACHED_PREFIXES)(self._words)
        self._cached_titles = functools.lru_cache(maxsize=CACHED_PREFIXES)(self._titles)

    def _words(self, prefix):
        """The (folded) words that start with ``prefix``, the most frequent
        first, among the first MAX_SCANNED of each field and segment.

        The document counts of the first MAX_SCANNED terms are read from
        each segment's term table (a term among the first of all segments
        together is among the first of each segment holding it), not looked
        up again term by term."""
        frequencies = _merged_counts(self.reader, self.word_fields, prefix, MAX_SCANNED)
        counts = {}
        for term in sorted(frequencies)[:MAX_SCANNED]:
            word = term_text(term)
            if len(word) >= MIN_WORD:
                counts[word] = frequencies[term]
        return sorted(counts, key=lambda word: (-counts[word], word))

    def words(self, prefix, count):
        """The first ``count`` words of :meth:`_words`, as the articles write them."""
        return [self.shown_forms.shown(word) for word in self._cached_words(prefix)[:count]]

    def common_completions(self):
        """The answers of every common beginning, as this suggester would
        give them at request time: ``{"words": ..., "titles": ..., "shown":
        ...}`` (:meth:`common_words_and_shown`, :meth:`common_titles_of_index`)."""
        words = self.common_words_and_shown()
        return {"words": words["words"], "titles": self.common_titles_of_index(), "shown": words["shown"]}

    def common_words_and_shown(self):
        """``{"words": {beginning: the KEPT_WORDS most frequent words, as
        _words orders them, as shown}, "shown": ...}``.  The words are the
        most frequent of all that start with the beginning, where the walk
        reads only the first MAX_SCANNED (alphabetically) of a very common
        one.  ``"shown"``: the shown forms of the words of KNOWN_SHOWN
        documents or more whose folded form may hide how they are written
        (the ones most often offered).  The vocabularies are read in order,
        one two-letter beginning at a time: memory does not grow with the
        index."""
        common_words, shown = {}, {}
        for group in _by_beginning(_sorted_counts(self.reader, self.word_fields)):
            words = [(term, (-count, term)) for term, count in group if len(term) >= MIN_WORD]
            for term, count in group:
                if count >= KNOWN_SHOWN and len(term) >= MIN_WORD and ShownForms.is_ambiguous(term):
                    shown[term] = self.shown_forms.shown(term)
            for beginning, members in _beginnings(words, lambda members: len(members) > COMMON_WORDS):
                best = heapq.nsmallest(KEPT_WORDS, (payload for _, payload in members))
                common_words[beginning] = [self.shown_forms.shown(word) for _, word in best]
        return {"words": common_words, "shown": shown}

    def common_titles_of_index(self):
        """``{beginning: the titles of _titles without context}`` of every
        beginning whose titles are costly to find at request time."""
        common_titles = {}
        if TITLE_FIELD in self.reader.schema:

            def costly(members):
                return len(members) > COMMON_TITLE_COMPLETIONS or (
                    sum(count for _, count in members[:MAX_TITLE_COMPLETIONS]) > COMMON_TITLE_POSTINGS
                )

            for group in _by_beginning(_sorted_counts(self.reader, [TITLE_FIELD])):
                for beginning, _ in _beginnings(group, costly):
                    common_titles[beginning] = self._titles("", beginning)
        return common_titles

    def shown_form(self, folded):
        """How the index's text writes the word whose folded form is ``folded``."""
        return self.shown_forms.shown(fold(folded))

    def _titles(self, context, last):
        """Titles with every word of ``context`` and a word starting with
        ``last`` (folded), from the ``title_suggest`` field (indexes built
        before it existed have no title completions)."""
        if TITLE_FIELD not in self.reader.schema:
            return []
        analyzer = self.reader.schema[TITLE_FIELD].analyzer
        required = [q.Term(TITLE_FIELD, t.text) for t in analyzer(context, mode="query")]
        completions = []
        for term in self.reader.expand_prefix(TITLE_FIELD, last):
            completions.append(q.Term(TITLE_FIELD, term_text(term)))
            if len(completions) >= MAX_TITLE_COMPLETIONS:
                break
        if not completions:
            return []
        titles = []
        # The best few of a union of many short posting lists: Whoosh's
        # block-quality skipping (and the matcher pruning that goes with it)
        # re-examines the union's bounds every few documents and costs more
        # than it skips (a 2-letter beginning took twice as long).  The
        # search's collector scores them a posting block at a time, not a
        # document at a time through the union's tree, to the same top list
        # (the completion table of 50,000 articles: 21 s of the build).
        collector = TopAndAllCollector(MAX_TITLES * 2)
        self.searcher.search_with_collector(q.And([*required, q.Or(completions)]), collector)
        for hit in collector.results():
            title = hit.get("title")
            if title and title not in titles:
                titles.append(title)
        return titles[:MAX_TITLES]

    def _suggest(self, text, limit):
        text = " ".join(text.split())
        words = text.split(" ")
        last = words[-1] if words else ""
        if len(fold(last)) < MIN_PREFIX or not any(c.isalnum() for c in last):
            return []
        context = " ".join(words[:-1])
        folded = fold(last)
        titles = None if context else self.common_titles.get(folded)
        if titles is None:
            titles = self._cached_titles(context, folded)
        suggestions = [{"text": title, "kind": "title"} for title in titles]
        completions = self.common_words.get(folded)
        if completions is None or (len(completions) >= KEPT_WORDS and limit >= KEPT_WORDS):
            # shown as they come: a completion beyond the limit is never looked up
            completions = map(self.shown_forms.shown, self._cached_words(folded))
        capitalized = last[:1].isupper()
        for word in completions:
            if len(suggestions) >= limit:
                break
            if capitalized:
                word = word[:1].upper() + word[1:]
            completion = f"{context} {word}".strip()
            if completion.casefold() != text.casefold() or not suggestions:
                suggestions.append({"text": completion, "kind": "word"})
        return suggestions[:limit]
