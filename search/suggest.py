"""Completions for a search box: titles of matching articles and frequent
words of the index that start with what is being typed.

Words come from the ``suggest`` field, whose terms are ``folded + "\\x1f" +
shown`` (see :class:`index.analysis.SuggestionFilter`): the index keeps them
sorted by the folded form, so a typed prefix, with or without accents, is one
range of the term list.  Results are cached per index version.
"""

import functools

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
            if scanned >= limit:
                return
            yield term, info.doc_frequency()
        return
    field_key = keycoder(fieldname, b"")
    start = keycoder(fieldname, prefix.encode("utf-8"))
    for scanned, (key, value) in enumerate(table.items_from(start)):
        if scanned >= limit or not key.startswith(start):
            return
        # the header: flags, weight, document count, ...
        yield key[len(field_key) :], header.unpack(value[: header.size])[2]


class Suggester:
    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.suggest = functools.lru_cache(maxsize=4096)(self._suggest)
        self._cached_words = functools.lru_cache(maxsize=CACHED_PREFIXES)(self._words)
        self._cached_titles = functools.lru_cache(maxsize=CACHED_PREFIXES)(self._titles)

    def _words(self, prefix):
        # The first MAX_SCANNED terms of the prefix and their document counts,
        # read from each segment's term table (a term among the first of all
        # segments together is among the first of each segment holding it),
        # not looked up again term by term.
        frequencies = {}
        for leaf, _ in self.reader.leaf_readers():
            for term, count in _document_counts(leaf, "suggest", prefix, MAX_SCANNED):
                frequencies[term] = frequencies.get(term, 0) + count
        counts = {}
        for term in sorted(frequencies)[:MAX_SCANNED]:
            text = term_text(term)
            shown = text.partition(SEPARATOR)[2]
            counts[shown] = counts.get(shown, 0) + frequencies[term]
        return sorted(counts, key=lambda word: (-counts[word], word))

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
        suggestions = [{"text": title, "kind": "title"} for title in self._cached_titles(context, fold(last))]
        capitalized = last[:1].isupper()
        for word in self._cached_words(fold(last)):
            if len(suggestions) >= limit:
                break
            if capitalized:
                word = word[:1].upper() + word[1:]
            completion = f"{context} {word}".strip()
            if completion.casefold() != text.casefold() or not suggestions:
                suggestions.append({"text": completion, "kind": "word"})
        return suggestions[:limit]
