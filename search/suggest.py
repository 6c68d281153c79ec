"""Completions for a search box: titles of matching articles and frequent
words of the index that start with what is being typed.

Words come from the ``suggest`` field, whose terms are ``folded + "\\x1f" +
shown`` (see :class:`index.analysis.SuggestionFilter`): the index keeps them
sorted by the folded form, so a typed prefix, with or without accents, is one
range of the term list.  Results are cached per index version.

A common beginning (``de``, ``по``, ``πρ``) matches thousands of words and the
titles of thousands of articles: its answer is computed once per index
version by :meth:`Suggester.common_completions` (at build time, see
:mod:`search.completions`) and looked up; any other beginning has few
completions and is read from the index at request time, in bounded time.
"""

import functools
import heapq
import itertools

from whoosh import query as q
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.collectors import TopCollector

from index.analysis import SuggestionFilter, fold
from index.schema import term_text

SEPARATOR = SuggestionFilter.SEPARATOR
#: Terms read for one prefix at most; short prefixes match many words.
MAX_SCANNED = 2000
MAX_TITLES = 3
TITLE_FIELD = "title_suggest"
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


def _document_counts(leaf, fieldname, prefix, limit):
    """``(term, document count)`` of the first ``limit`` terms of
    ``fieldname`` in the segment reader ``leaf`` that start with ``prefix``.

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
    start = keycoder(fieldname, prefix.encode("utf-8"))
    for scanned, (key, value) in enumerate(table.items_from(start)):
        if (limit is not None and scanned >= limit) or not key.startswith(start):
            return
        # the header: flags, weight, document count, ...
        yield key[len(field_key) :], header.unpack(value[: header.size])[2]


def _merged_counts(reader, fieldname, prefix="", limit=None):
    """``{term: document count}`` over all segments, for the first ``limit``
    terms of each segment that start with ``prefix``."""
    frequencies = {}
    for leaf, _ in reader.leaf_readers():
        for term, count in _document_counts(leaf, fieldname, prefix, limit):
            frequencies[term] = frequencies.get(term, 0) + count
    return frequencies


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


class Suggester:
    """``common``: the precomputed answers of common beginnings
    (:meth:`common_completions`, as :mod:`search.completions` stores them)."""

    def __init__(self, searcher, common=None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.has_common = common is not None
        common = common or {}
        self.common_words = common.get("words", {})
        self.common_titles = common.get("titles", {})
        self.suggest = functools.lru_cache(maxsize=4096)(self._suggest)
        self._cached_words = functools.lru_cache(maxsize=CACHED_PREFIXES)(self._words)
        self._cached_titles = functools.lru_cache(maxsize=CACHED_PREFIXES)(self._titles)

    def _words(self, prefix):
        # The first MAX_SCANNED terms of the prefix and their document counts,
        # read from each segment's term table (a term among the first of all
        # segments together is among the first of each segment holding it),
        # not looked up again term by term.
        frequencies = _merged_counts(self.reader, "suggest", prefix, MAX_SCANNED)
        counts = {}
        for term in sorted(frequencies)[:MAX_SCANNED]:
            text = term_text(term)
            shown = text.partition(SEPARATOR)[2]
            counts[shown] = counts.get(shown, 0) + frequencies[term]
        return sorted(counts, key=lambda word: (-counts[word], word))

    def common_completions(self):
        """The answers of every common beginning, as this suggester would
        give them at request time: ``{"words": {beginning: the KEPT_WORDS
        most frequent words, as _words orders them}, "titles": {beginning:
        the titles of _titles without context}}``.  The words are the most
        frequent of all that start with the beginning, where the walk reads
        only the first MAX_SCANNED (alphabetically) of a very common one."""
        words = []
        for term, count in _merged_counts(self.reader, "suggest").items():
            folded, _, shown = term_text(term).partition(SEPARATOR)
            words.append((folded, (-count, shown)))
        words.sort()
        common_words = {
            beginning: [shown for _, shown in heapq.nsmallest(KEPT_WORDS, (payload for _, payload in members))]
            for beginning, members in _beginnings(words, lambda members: len(members) > COMMON_WORDS)
        }
        common_titles = {}
        if TITLE_FIELD in self.reader.schema:
            counts = _merged_counts(self.reader, TITLE_FIELD)
            titles = sorted((term_text(term), count) for term, count in counts.items())

            def costly(members):
                return len(members) > COMMON_TITLE_COMPLETIONS or (
                    sum(count for _, count in members[:MAX_TITLE_COMPLETIONS]) > COMMON_TITLE_POSTINGS
                )

            for beginning, _ in _beginnings(titles, costly):
                common_titles[beginning] = self._titles("", beginning)
        return {"words": common_words, "titles": common_titles}

    def shown_form(self, folded):
        """How the index's text writes the word whose folded form is ``folded``."""
        for term in self.reader.expand_prefix("suggest", fold(folded) + SEPARATOR):
            text = term_text(term)
            return text.partition(SEPARATOR)[2]
        return folded

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
        # than it skips (a 2-letter beginning took twice as long); the top is
        # the same.
        collector = TopCollector(MAX_TITLES * 2, usequality=False, replace=0)
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
            completions = self._cached_words(folded)
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
