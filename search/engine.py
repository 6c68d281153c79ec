"""Search: the query side's entry point, used by the API and the benchmarks.

:class:`SearchEngine` keeps one Whoosh searcher open on the live index and
replaces it when a rebuild, ``add`` or ``remove`` is published (``refresh`` is
two ``stat`` calls when nothing changed), so a server never needs a restart.
"""

import copy
import marshal
import os
import threading
from collections import OrderedDict

from whoosh import query as q
from index.report import generation_facts, reader_stats
from index.schema import NAMES_FIELD, TEXT_LANGUAGES
from index.store import CURRENT, IndexStore, NoIndexError

from . import completions
from .budget import TimeLimitedSearcher
from .collect import TopAndAllCollector
from .errors import QueryError
from .expand import expand
from .facets import FacetCounter
from .highlight import (
    TITLE,
    HeldTerms,
    PrefixTerms,
    learn_words,
    locate,
    located_spans,
    marked_html,
    match_spans,
    passages,
)
from .mix import POOL, mixed_hits
from .parse import parse
from .scoring import news_weighting
from .similar import similar_query
from .spelling import vocabulary
from .suggest import Suggester
from .translate import translations

MAX_PER_PAGE = 100
MAX_DEPTH = 1000
#: When fewer articles than this have every word of a query, the best partial
#: matches are listed after them: a query of ten words one of which is
#: worded otherwise in the article would else find one accidental match.
FILL_BELOW = 10
#: Answers kept per index version (a search box re-asking, a crawler paging,
#: the same query from many readers); a new version starts with none.
ANSWER_CACHE_SIZE = 1024


#: Words of the four languages, whose analysis loads every model and dictionary.
WARM_UP_QUERY = "Verteidigungsminister Москва Ουκρανία katonák"


class _Snapshot:
    """One opened generation of the index, with what is derived from it."""

    def __init__(self, store, translate=True):
        self.generation = store.live_generation()
        self.index = store.open_live()
        self.searcher = self.index.searcher()
        self.searcher.weighting = news_weighting(self.searcher.reader())
        self.toc = self.index.latest_generation()
        self.version = f"{self.generation.name}.{self.toc}"
        self.stamp = _stamp(store.root, self.generation)
        self._facets = None
        self._langs = None
        self._suggester = None
        self._stats = None
        self._prefix_terms = None
        self.answers = AnswerCache(ANSWER_CACHE_SIZE)
        # Read here, not in a query's time budget (the first read takes seconds).
        self.translations = translations() if translate else None

    @property
    def facets(self):
        if self._facets is None:
            self._facets = FacetCounter(self.searcher.reader())
        return self._facets

    @property
    def prefix_terms(self):
        if self._prefix_terms is None:
            self._prefix_terms = PrefixTerms(self.searcher.reader())
        return self._prefix_terms

    @property
    def langs(self):
        """Each document's article language, by document number (the sortable column)."""
        if self._langs is None:
            self._langs = self.searcher.reader().column_reader("lang")
        return self._langs

    def stats(self, store):
        if self._stats is None:
            self._stats = {**reader_stats(self.searcher.reader()), **generation_facts(store, self.generation)}
        return self._stats

    @property
    def suggester(self):
        suggester = self._suggester  # read once: completions_written may drop it meanwhile
        if suggester is None:
            suggester = self._suggester = Suggester(self.searcher, completions.load(self.generation, self.toc))
        return suggester

    def completions_written(self):
        """A file of the generation changed but not the index: the completion
        table that ``add`` or ``remove`` writes after its commit may have
        arrived, which a suggester opened without one picks up."""
        if self._suggester is not None and not self._suggester.has_common:
            self._suggester = None

    def close(self):
        self.searcher.close()
        self.index.close()


class AnswerCache:
    """The last ``size`` answers by request, least recently used dropped
    first.  Answers are copied in and out: a caller that changes one does not
    change what the next request gets.  (Kept marshalled: one bytes object
    each, not thousands for the garbage collector to walk.)"""

    def __init__(self, size):
        self.size = size
        self._answers = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                return None
            self._answers.move_to_end(key)
        return marshal.loads(answer) if type(answer) is bytes else copy.deepcopy(answer)

    def put(self, key, answer):
        try:
            # An answer is JSON-like data: marshal copies it out and in several
            # times faster than deepcopy (a page of results: 0.45 → 0.1 ms).
            answer = marshal.dumps(answer)
        except ValueError:  # something marshal does not know: copied as it is
            answer = copy.deepcopy(answer)
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


def _stamp(root, generation):
    """Changes when CURRENT is replaced or a commit adds files to the generation."""
    try:
        return (os.stat(root / CURRENT).st_mtime_ns, os.stat(generation).st_mtime_ns)
    except (OSError, TypeError):
        return None


class SearchEngine:
    """``max_per_page`` and ``max_depth`` (page × per_page) bound the work one
    request may ask for; ``time_limit`` (seconds; None: unlimited) the time
    the searches of one search or similar-articles lookup may take before it is
    stopped with :class:`search.budget.QueryTimeout`.  ``translate``: query
    words also match their dictionary translations in the other languages
    (:mod:`search.translate`) when dictionaries are installed."""

    def __init__(self, index_dir, max_per_page=MAX_PER_PAGE, max_depth=MAX_DEPTH, time_limit=None, translate=True):
        self.store = IndexStore(index_dir)
        self.translate = translate
        self.max_per_page = max_per_page
        self.max_depth = max_depth
        self.time_limit = time_limit
        self._snapshot = None
        self._lock = threading.Lock()

    # -- the live index ------------------------------------------------------

    def _current(self):
        if self._snapshot is None:
            self.refresh()
        if self._snapshot is None:
            raise NoIndexError(f"no index in {self.store.root} yet: build one with `python -m index build PATH...`")
        return self._snapshot

    def refresh(self):
        """Reopen the index if another one was published; True if it changed."""
        with self._lock:
            old = self._snapshot
            if old is not None:
                live = self.store.live_generation()
                if live == old.generation and _stamp(self.store.root, live) == old.stamp:
                    return False
                if live == old.generation and old.index.latest_generation() == old.toc:
                    old.stamp = _stamp(self.store.root, live)
                    old.completions_written()
                    return False
            try:
                self._snapshot = _Snapshot(self.store, self.translate)
            except NoIndexError:
                self._snapshot = None
                return old is not None
            if old is not None:
                old.close()
            return True

    @property
    def version(self):
        return self._current().version

    @property
    def opened_version(self):
        """The version of the index open now, or None (none opened yet); opens nothing."""
        snapshot = self._snapshot
        return snapshot.version if snapshot is not None else None

    def warm_up(self):
        """Open the index and load what a process's first search loads (the
        translation tables, pymorphy3's dictionaries, the German word list,
        the language model, ICU's transliterators) and the spelling
        vocabulary, so that a server's first requests do not wait for them:
        about 0.3 s, and 1–2 s for the vocabulary of 50,000 articles.  False
        when there is no index yet (the first request after one is built pays
        instead)."""
        try:
            snapshot = self._current()
        except NoIndexError:
            return False
        self.search(WARM_UP_QUERY)
        snapshot.prefix_terms.warm_up(TEXT_LANGUAGES)
        vocabulary(snapshot.searcher.reader()).warm_up([f"words_{lang}" for lang in TEXT_LANGUAGES])
        return True

    # -- search --------------------------------------------------------------

    def search(self, q_text, langs=None, sources=None, date_from=None, date_to=None, sort="relevance", page=1, per_page=10):
        if sort not in ("relevance", "date"):
            raise QueryError("sort must be 'relevance' or 'date'.", field="sort")
        if not 1 <= per_page <= self.max_per_page:
            raise QueryError(f"per_page must be between 1 and {self.max_per_page}.", field="per_page")
        if page < 1 or page * per_page > self.max_depth:
            raise QueryError(f"page × per_page may not exceed {self.max_depth}; refine the query instead.", field="page")
        parsed = parse(q_text or "")
        parsed.langs = sorted(set(parsed.langs) | set(langs or ()))
        parsed.sources = list(parsed.sources) + list(sources or ())
        if date_from and (parsed.date_from is None or date_from > parsed.date_from):
            parsed.date_from = date_from
        if date_to and (parsed.date_to is None or date_to < parsed.date_to):
            parsed.date_to = date_to
        if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
            raise QueryError(f"The date range is empty: {parsed.date_from} is after {parsed.date_to}.", field="date_from")

        snapshot = self._current()
        # The answer depends on nothing but the request, the index version (the
        # cache belongs to the version's snapshot) and the time budget (a
        # query refused under a smaller one is not answered from the cache).
        key = (q_text, tuple(langs or ()), tuple(sources or ()), date_from, date_to, sort, page, per_page, self.time_limit)
        answer = snapshot.answers.get(key)
        if answer is None:
            answer = self._answer(snapshot, parsed, q_text, sort, page, per_page)
            snapshot.answers.put(key, answer)
        return answer

    def _answer(self, snapshot, parsed, q_text, sort, page, per_page):
        searcher = TimeLimitedSearcher(snapshot.searcher, self.time_limit)
        expansion = expand(searcher, parsed, translations=snapshot.translations)
        limit = page * per_page
        start = (page - 1) * per_page
        reader = searcher.reader()
        # the languages asked for: nothing to mix in
        mixing = not parsed.langs

        def best_first(query, wanted, excluded=frozenset()):
            """The best ``wanted`` hits of ``query`` (languages mixed) and every
            document it matches, from one pass over its matches."""
            collector = TopAndAllCollector(max(wanted, POOL) if mixing else max(wanted, 1), excluded)
            ranked = list(searcher.collect(query, collector))
            return (mixed_hits(ranked, snapshot.langs, wanted) if mixing else ranked[:wanted]), collector.docset

        if sort == "date":
            docs = set(searcher.docs_for_query(expansion.query))
        else:
            hits, docs = best_first(expansion.query, limit)
            hits = [(hit, expansion) for hit in hits]
        # Few articles have every word: the best partial matches follow them
        # (by relevance; a date-ordered list is all-words, unless none is).
        fill_below = FILL_BELOW if sort == "relevance" else 1
        partial, partial_docs = None, set()
        if len(docs) < fill_below and len(parsed.groups) > 1:
            partial = expand(searcher, parsed, fallback=True, translations=snapshot.translations)
            if sort == "date":
                partial_docs = set(searcher.docs_for_query(partial.query)) - docs
            else:
                more, partial_docs = best_first(partial.query, limit - len(hits), excluded=docs)
                hits += [(hit, partial) for hit in more]
        # what each result holds of the terms, for its passages
        held = {
            id(found_by): _Held(reader, found_by, snapshot.prefix_terms) for found_by in (expansion, partial) if found_by
        }
        if sort == "date":
            ranked = [(docnum, expansion) for docnum in _newest_first(reader, docs)]
            ranked += [(docnum, partial) for docnum in _newest_first(reader, partial_docs)]
            results = [
                self._result(_Unscored(searcher, docnum), found_by, held[id(found_by)]) for docnum, found_by in ranked[start:limit]
            ]
        else:
            for found_by in (expansion, partial):
                if found_by:  # each result's term counts, read in one walk per term
                    held[id(found_by)].prepare([hit.docnum for hit, by in hits[start:limit] if by is found_by])
            results = [self._result(hit, found_by, held[id(found_by)]) for hit, found_by in hits[start:limit]]
        did_you_mean = None
        corrections = expansion.corrections or (partial.corrections if partial else {})
        if corrections:
            did_you_mean = _replace_words(q_text, corrections, snapshot.suggester)
        return {
            "query": q_text,
            "total": len(docs) + len(partial_docs),
            "total_all_words": len(docs),
            "page": page,
            "per_page": per_page,
            "partial": bool(partial_docs),
            "results": results,
            "facets": snapshot.facets.count(docs | partial_docs),
            "did_you_mean": did_you_mean,
        }

    def _result(self, hit, expansion, held=None):
        """One result; with ``held`` (:class:`_Held` of ``expansion``), its passages too."""
        stored = hit.fields()
        paragraphs = list(zip(stored["body"].split("\n\n"), stored["paragraph_langs"]))
        headline = stored.get("title")
        title_lang = stored.get("title_lang", stored["lang"])
        snippets, title_spans = [], []
        widths = stored.get("paragraph_positions")
        if held and held.body.positional and widths is not None and len(widths) == len(paragraphs) + 1:
            terms = held.body.of(hit.docnum)
            located = locate(held.body.positions(hit.docnum), widths, stored["paragraph_langs"])
            snippets = passages(paragraphs, terms, expansion.prefixes, located=located)
            if headline:
                # the title's terms in its title field, and its names (the names field holds both)
                title_terms = held.title.of(hit.docnum)
                in_title = located.get(TITLE, {})
                for lang, by_term in held.title.positions(hit.docnum).items():
                    in_title[lang] = [position for found in by_term.values() for position in found]
                if NAMES_FIELD in terms:
                    title_terms = {**title_terms, NAMES_FIELD: terms[NAMES_FIELD]}
                title_spans = located_spans(headline, in_title, title_terms, expansion.prefixes)
        elif held:
            # an index built before the names field kept positions
            terms = held.body.of(hit.docnum)
            learned = learn_words(
                paragraphs, headline, terms, expansion.prefixes, held.body.frequencies(hit.docnum), held.body.listed
            )
            snippets = passages(paragraphs, terms, expansion.prefixes, learned=learned)
            if headline:
                # the title's own terms, counted in its title field like the body's (its names
                # were counted with the body's: the names field holds both)
                title_terms = held.title.of(hit.docnum)
                title_learned = learn_words(
                    [(headline, title_lang)], None, title_terms, expansion.prefixes,
                    held.title.frequencies(hit.docnum), held.title.listed,
                )  # fmt: skip
                if NAMES_FIELD in terms:
                    title_terms = {**title_terms, NAMES_FIELD: terms[NAMES_FIELD]}
                title_spans = match_spans(
                    headline, title_lang, title_terms, expansion.prefixes, learned={**(learned or {}), **(title_learned or {})}
                )
        elif headline:
            title_spans = match_spans(headline, title_lang, expansion.terms, expansion.prefixes)
        return {
            "id": stored["id"],
            "title": headline,
            "title_html": marked_html(headline, title_spans) if headline else None,
            "title_matches": [list(span) for span in title_spans],
            "lang": stored["lang"],
            "languages": [lang for lang in stored.get("languages", "").split(",") if lang],
            "date": stored.get("date"),
            "source": stored.get("source"),
            "url": stored.get("url"),
            "score": round(float(hit.score or 0.0), 4),
            "snippets": snippets,
        }

    # -- documents -----------------------------------------------------------

    def document(self, article_id):
        stored = self._current().searcher.document(id=article_id)
        if stored is None:
            return None
        texts = stored["body"].split("\n\n")
        return {
            "id": stored["id"],
            "title": stored.get("title"),
            "lang": stored["lang"],
            "languages": [lang for lang in stored.get("languages", "").split(",") if lang],
            "date": stored.get("date"),
            "source": stored.get("source"),
            "url": stored.get("url"),
            "body": stored["body"],
            "paragraphs": [{"text": t, "lang": lang} for t, lang in zip(texts, stored["paragraph_langs"])],
        }

    def similar(self, article_id, limit=10):
        snapshot = self._current()
        searcher = TimeLimitedSearcher(snapshot.searcher, self.time_limit)
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            return None
        expansion = similar_query(searcher, docnum)
        if expansion is None:
            return []
        hits = searcher.search(q.AndNot(expansion.query, q.Term("id", article_id)), limit=limit)
        return [self._result(hit, expansion) for hit in hits]

    def suggest(self, q_text, limit=8):
        return self._current().suggester.suggest(q_text, limit)

    def stats(self):
        """What the open index holds (computed once per index version)."""
        return self._current().stats(self.store)


class _Held:
    """What each result of one expansion holds of its terms: in its body
    (and names), for the passages, and in its title field, for the title's marks."""

    def __init__(self, reader, expansion, prefix_terms):
        self.body = HeldTerms(reader, expansion.terms, prefix_terms.of(expansion.prefixes))
        self.title = HeldTerms(reader, expansion.terms, prefix_terms.of(expansion.prefixes, "title"), kind="title")

    def prepare(self, docnums):
        self.body.prepare(docnums)
        self.title.prepare(docnums)


class _Unscored:
    """A document in date order, shaped like a Whoosh hit."""

    score = None

    def __init__(self, searcher, docnum):
        self._searcher, self.docnum = searcher, docnum

    def fields(self):
        return self._searcher.stored_fields(self.docnum)


def _newest_first(reader, docs):
    """Document numbers by publication date, newest first, undated last."""
    dates = reader.column_reader("published", translate=False)
    missing = reader.schema["published"].column_type.default_value(False)
    return sorted(docs, key=lambda docnum: (dates[docnum] == missing, -dates[docnum], docnum))


def _replace_words(text, corrections, suggester):
    """``text`` with the corrected words; ``None`` when none of them stands in
    it as typed (a word the parser took apart), rather than the query itself."""
    corrected_text = text
    for typed, corrected in corrections.items():
        shown = suggester.shown_form(corrected)
        if typed[:1].isupper():
            shown = shown[:1].upper() + shown[1:]
        corrected_text = corrected_text.replace(typed, shown)
    return corrected_text if corrected_text != text else None
