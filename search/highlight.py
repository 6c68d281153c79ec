"""Highlight: passages of a result with every matched word marked.

Each paragraph is analyzed with the analyzer of its own language, so inflected
forms of the query words are marked too (``στρατιωτών`` for ``στρατιώτες``),
and the Russian paragraph of a Greek article is read as Russian.  Names are
also marked where they matched through their cross-script key, whatever the
script: ``Belouszov`` marks ``Μπελούσοφ`` and ``Белоусов``.  Each passage
comes twice: as plain text with ``[start, end]`` offsets of the marks, and as
HTML in which all article text is escaped and only ``<mark>`` is markup.
"""

import functools
import html
import re
from bisect import bisect_right
from collections import Counter
from itertools import accumulate

from index.analysis import analyzer_for, fold, name_analyzer
from index.analysis.filters import has_hyphen, token_positions
from index.analysis.tokenizer import Recent, nfc, token_spans, token_texts
from index.schema import NAMES_FIELD, term_text, text_field_language

PASSAGES = 3
PASSAGE_CHARS = 200
#: Context kept before the first mark of a passage.
LEAD_CHARS = 60
ELLIPSIS = "…"
#: What the query side re-analyzes of an article (for passages, similar
#: articles): all of every real news article, while a hostile 10 MB one does
#: not cost each query that finds it seconds.
READ_CHARS = 100_000
_SPACE = re.compile(r"\s")
#: Words whose analysis is kept, per analyzer (then the cache starts over).
WORD_CACHE_SIZE = 200_000
#: Texts whose words are kept (about a result page's paragraphs).
RECENT_TEXTS = 256


def opening(paragraphs, chars=READ_CHARS):
    """The leading ``(text, lang)`` paragraphs, up to the one that reaches ``chars`` characters."""
    for text, lang in paragraphs:
        if chars <= 0:
            return
        chars -= len(text)
        yield text, lang


def match_spans(text, lang, terms, prefixes, learned=None):
    """``[(start, end)]`` of the words in ``text`` whose index terms (in
    ``lang``) are among ``terms`` or start with one of ``prefixes``: the words
    whose :func:`analyzed_words` match, found without walking the tokens of
    a paragraph that has none of them (most paragraphs of most results).
    ``learned`` (from :func:`learn_words`) says which analyzers already know
    every word of ``text`` that can match: their other words are not analyzed."""
    lang = text_field_language(lang)
    wanted = terms.get(lang, ())
    starts = tuple(prefixes.get(lang, ()))
    names = terms.get(NAMES_FIELD, ())
    if not (wanted or starts or names):
        return []
    text = nfc(text)
    words = set(_tokens(text))
    # the spans, within the word, of what each matching word marks
    marked = {}
    if wanted or starts:
        _WordTerms.of(analyzer_for(lang)).mark(words, wanted, starts, marked, learned)
    if names:
        _WordTerms.of(name_analyzer()).mark(words, names, (), marked, learned)
    if not marked:
        return []
    spans = []
    for offset, end in token_spans(text):
        inside = marked.get(text[offset:end])
        if inside:
            spans.extend((offset + start, offset + stop) for start, stop in inside)
    return _merge(spans)


def located_spans(text, located, terms, prefixes):
    """What :func:`match_spans` gives for ``text``, from where its terms are:
    ``located`` holds, for its language and the names (``{field language or
    "names": [position, ...]}``, from :func:`locate`), the positions within
    ``text`` of the document's ``terms``, as its fields number its tokens.
    Only the words there are looked at."""
    if not located:
        return []
    text = nfc(text)
    spans = token_spans(text)
    starts = token_positions(_tokens(text)) if has_hyphen(text) else range(len(spans))
    marked = []
    for kind, positions in located.items():
        if kind == NAMES_FIELD:
            known, wanted, begins = _WordTerms.of(name_analyzer()), terms.get(NAMES_FIELD, ()), ()
        else:
            known, wanted, begins = _WordTerms.of(analyzer_for(kind)), terms.get(kind, ()), tuple(prefixes.get(kind, ()))
        tokens = {spans[bisect_right(starts, p) - 1] for p in positions}
        words = {text[s:e] for s, e in tokens}
        analysed, _ = known.learn(words)
        for offset, end in tokens:
            for term, folded, start, stop in analysed[text[offset:end]]:
                if term in wanted or (begins and folded.startswith(begins)):
                    marked.append((offset + start, offset + stop))
    return _merge(marked)


def learn_words(paragraphs, title, terms, prefixes, frequencies, listed=()):
    """Analyze only the words of a result's opening paragraphs (and, for the
    names, its title) that may hold its ``terms``, and return what
    :func:`match_spans` and :func:`passages` take as ``learned``.

    ``frequencies`` (:meth:`HeldTerms.frequencies`) says how often the
    document's field holds each term.  Once the words already known account
    for every occurrence, no other word can hold one, and the words never
    seen before (most of a result's vocabulary, each a costly analysis:
    pymorphy3, the cross-script name keys) need not be analyzed.  Words that
    share three letters with a term are analyzed first; when the counts still
    fall short, or a term's count is unknown, or a prefix is wanted (any word
    may start with it) in a language not in ``listed``, every word is.  In the
    languages of ``listed``, ``terms`` hold every term of the document that a
    prefix marks (:class:`PrefixTerms`), so those are counted like the others."""
    opened = list(opening(paragraphs))
    learned = {}
    by_lang = {}
    for text, lang in opened:
        by_lang.setdefault(text_field_language(lang), []).append(text)
    for lang, texts in by_lang.items():
        wanted = terms.get(lang, ())
        if wanted or prefixes.get(lang):
            counts = None if prefixes.get(lang) and lang not in listed else frequencies.get(lang, {})
            known = _WordTerms.of(analyzer_for(lang))
            learned[known] = known.learn_accounting(texts, wanted, counts)
    names = terms.get(NAMES_FIELD, ())
    if names:
        # the names field holds the title's names and the whole body's
        texts = [text for text, _ in opened] + ([title] if title else [])
        known = _WordTerms.of(name_analyzer())
        learned[known] = known.learn_accounting(texts, names, frequencies.get(NAMES_FIELD, {}))
    return learned


#: Words whose folded form is kept.
FOLDED_CACHE_SIZE = 50_000

#: The tokenizer's words of a text (NFC), in order.  The pattern is the
#: costliest step left: a result's paragraphs are read for counting, then for
#: marks, so the last few texts' words are kept.
_tokens = Recent(token_texts, RECENT_TEXTS)
#: ``fold(word)``, remembered: the words of a result that are never analysed
#: are folded again for every query that finds it.
_folded = Recent(fold, FOLDED_CACHE_SIZE)


@functools.lru_cache(maxsize=1024)
def _first_letters_pattern(terms):
    """A pattern found in a folded word that contains the first three letters
    of one of ``terms`` (a frozenset): one search per word instead of a
    substring test per term (a word's translations are dozens of terms)."""
    if not terms:
        return re.compile("(?!)")  # matches nothing, as any() of no terms is false
    return re.compile("|".join(sorted({re.escape(term[:3]) for term in terms})))


class _WordTerms:
    """The terms one analyzer indexes each word under, for every distinct
    word seen (up to :data:`WORD_CACHE_SIZE`, then it starts over), and for
    every term the words seen with it.  Every filter of our analyzers turns
    one word into its terms without looking at its neighbours, so a word's
    terms are the same wherever it stands; a result page re-reads thousands
    of words, and news vocabulary repeats."""

    _by_analyzer = {}

    @classmethod
    def of(cls, analyzer):
        found = cls._by_analyzer.get(id(analyzer))
        if found is None or found.analyzer is not analyzer:
            found = cls._by_analyzer[id(analyzer)] = cls(analyzer)
        return found

    def __init__(self, analyzer):
        self.analyzer = analyzer
        # The names analyzer indexes only words or hyphenated parts that start
        # with a capital (NameCandidateFilter, before any folding): a word
        # without one has no terms there, and need not be analyzed.
        self.uncapitalised_have_none = analyzer is name_analyzer()
        #: word → ((term, folded term, start, end), ...) with offsets in the word
        self.terms = {}
        #: term → the words seen that have it
        self.words = {}
        #: how many times the cache started over
        self.generation = 0

    def learn(self, words):
        """``(terms, words)`` as above, with those of ``words`` not seen yet
        analyzed.  A full cache is replaced, not cleared, so that another
        thread reading the old one still finds its words there."""
        terms, index = self.terms, self.words
        # (a set less a dict looks each word up; less the dict's keys view
        # it would walk the whole cache)
        new = words.difference(terms)
        if len(terms) + len(new) > WORD_CACHE_SIZE:
            terms, index = self.terms, self.words = {}, {}
            self.generation += 1
            new = words
        for word in new:
            if self.uncapitalised_have_none and word.islower():
                terms[word] = ()
                continue
            found = tuple(
                (t.text, fold(t.text), t.startchar, t.endchar)
                for t in self.analyzer(word, chars=True, mode="index", tokenize=False)
            )
            terms[word] = found
            for term, _, _, _ in found:
                index.setdefault(term, set()).add(word)
        return terms, index

    def learn_accounting(self, texts, wanted, frequencies):
        """Learn the words of ``texts`` that may hold a ``wanted`` term, given
        ``frequencies`` (term → its occurrences in the texts' field, which
        holds at least the texts; None: learn every word); the generation
        of the cache that holds them (see :func:`learn_words`)."""
        counts = Counter()
        for text in texts:
            counts.update(_tokens(nfc(text)))
        words = set(counts)
        generation = self.generation
        if frequencies is None or any(frequencies.get(term) is None for term in wanted):
            self.learn(words)
        elif not self._accounted(counts, wanted, frequencies):
            unknown = words.difference(self.terms)
            if self.uncapitalised_have_none:
                unknown = {word for word in unknown if not word.islower()}
            shares_letters = _first_letters_pattern(frozenset(wanted)).search
            self.learn({word for word in unknown if shares_letters(_folded(word))})
            if not self._accounted(counts, wanted, frequencies):
                self.learn(words)
        if self.generation != generation:
            # the cache started over on the way: what was known is gone
            self.learn(words)
        return self.generation

    def _accounted(self, counts, wanted, frequencies):
        """Whether the known words among ``counts`` (word → occurrences) hold every occurrence of each wanted term."""
        terms, index = self.terms, self.words
        for term in wanted:
            found = 0
            # (the set's own intersection: it walks the text's words, not all
            # the words seen with the term, and no other thread adds to it meanwhile)
            for word in index.get(term, set()).intersection(counts):
                found += counts[word] * sum(1 for part in terms.get(word, ()) if part[0] == term)
            if found < frequencies[term]:
                return False
        return True

    def mark(self, words, wanted, starts, marked, learned=None):
        """Add to ``marked`` (word → [(start, end)]) the parts of each of
        ``words`` whose term is in ``wanted`` or (folded) starts with one of
        ``starts``; the words not yet seen are analyzed first, unless
        ``learned`` (see :func:`learn_words`) says the ones that can match are
        known."""
        if learned is not None and learned.get(self) == self.generation:
            terms, index = self.terms, self.words
        else:
            terms, index = self.learn(words)
        if starts:
            candidates = words
        else:
            candidates = set()
            for term in wanted:
                candidates |= index.get(term, set())
            candidates &= words
        for word in candidates:
            for term, folded, start, end in terms.get(word, ()):
                if term in wanted or (starts and folded.startswith(starts)):
                    marked.setdefault(word, []).append((start, end))


class PrefixTerms:
    """The index terms of a language's body field that a prefix marks (the
    folded term starts with it), for one index version.  A document holds
    none of them outside its postings, so :class:`HeldTerms` can count them
    like the query's own terms, and the words of a result that hold none
    need not be analyzed.  Nearly every term is its own folded form, so the
    prefix's own range of the term list has them; the few others (Greek words
    quoted in Hungarian text, left unfolded by its analyzer) are read from the
    whole term list once per field."""

    def __init__(self, reader):
        self.reader = reader
        self._unfolded = {}

    def of(self, prefixes, kind="body"):
        """``{field language: terms}`` of the ``kind`` fields (body or title) for ``{field language: prefixes}``."""
        return {lang: self._marked(f"{kind}_{lang}", starts) for lang, starts in prefixes.items() if starts}

    def _marked(self, fieldname, starts):
        if fieldname not in self.reader.schema:
            return set()
        starts = tuple(starts)
        found = {
            text
            for start in starts
            for text in map(term_text, self.reader.expand_prefix(fieldname, start))
            if fold(text).startswith(starts)
        }
        found.update(text for text in self._unfolded_terms(fieldname) if fold(text).startswith(starts))
        return found

    def _unfolded_terms(self, fieldname):
        found = self._unfolded.get(fieldname)
        if found is None:
            found = self._unfolded[fieldname] = [
                text for text in map(term_text, self.reader.lexicon(fieldname)) if fold(text) != text
            ]
        return found

    def warm_up(self, langs):
        for fieldname in (f"{kind}_{lang}" for lang in langs for kind in ("body", "title")):
            if fieldname in self.reader.schema:
                self._unfolded_terms(fieldname)


class HeldTerms:
    """Which of a query's terms (``{field language or "names": terms}``, as in
    :class:`search.expand.Expansion`) one document holds, from the index's own
    postings: the terms of a document's ``body_<lang>`` field are exactly
    what analyzing its paragraphs of that language gives (and the names
    field's, its title's and paragraphs' names), so a term it lacks
    marks no word there, and a language of whose terms it holds none need not
    be analyzed at all (most of the mixed-in other-language results, most of
    the names).  Computed once per query and term."""

    #: Terms in more documents than this are taken to be in every one (their
    #: posting lists are not worth reading to rule a document out).
    MAX_LISTED = 20_000

    def __init__(self, reader, terms, prefix_terms=None, kind="body"):
        """``prefix_terms`` (``{field language: terms}``, :meth:`PrefixTerms.of`)
        are looked for too; their languages are :attr:`listed`.  ``kind``:
        the fields looked in, ``body_<lang>`` (and the names), or ``title_<lang>``
        (what the title alone holds; no names)."""
        self.reader = reader
        self.kind = kind
        self.terms = dict(terms)
        if kind != "body":
            self.terms.pop(NAMES_FIELD, None)
        for lang, marked in (prefix_terms or {}).items():
            self.terms[lang] = set(self.terms.get(lang, ())) | marked
        #: the languages whose prefixes' terms are among the terms
        self.listed = frozenset(prefix_terms or ())
        schema = reader.schema
        #: whether the fields looked in keep their terms' positions (the
        #: names field has since the passages were found from them)
        self.positional = all(
            schema[name].format.supports("positions") for name in map(self._fieldname, self.terms) if name in schema
        )
        self._holders = {}
        self._frequencies = {}
        self._held = {}
        self._positions = {}

    def _fieldname(self, lang):
        return NAMES_FIELD if lang == NAMES_FIELD else f"{self.kind}_{lang}"

    def _frequency(self, fieldname, term):
        """How many documents hold the term (0 when the field does not exist)."""
        key = (fieldname, term)
        if key not in self._holders:
            self._holders[key] = self.reader.doc_frequency(fieldname, term) if fieldname in self.reader.schema else 0
        return self._holders[key]

    def of(self, docnum):
        """The terms document ``docnum`` holds in its body and its names."""
        if docnum not in self._frequencies:
            self.prepare([docnum])
        return self._held[docnum]

    def frequencies(self, docnum):
        """``{field language or "names": {term: occurrences}}`` of the terms
        document ``docnum`` holds (None for those in more than
        :data:`MAX_LISTED` documents: not read)."""
        if docnum not in self._frequencies:
            self.prepare([docnum])
        return self._frequencies[docnum]

    def positions(self, docnum):
        """``{field language or "names": {term: [position, ...]}}`` of the
        terms document ``docnum`` holds, when :attr:`positional`."""
        if docnum not in self._frequencies:
            self.prepare([docnum])
        return self._positions[docnum]

    def prepare(self, docnums):
        """Read which terms several documents hold, and how often: one walk
        along each term's postings, in document order, skipping from one
        document to the next (the blocks between are not decoded)."""
        docnums = sorted(set(docnums) - self._frequencies.keys())
        found = {docnum: {} for docnum in docnums}
        held = {docnum: {} for docnum in docnums}
        positions = {docnum: {} for docnum in docnums}
        positional = self.positional
        for lang, wanted in self.terms.items():
            fieldname = self._fieldname(lang)
            for docnum in docnums:
                held[docnum][lang] = set()
            for term in wanted:
                documents = self._frequency(fieldname, term)
                if not documents:
                    continue
                if documents > self.MAX_LISTED and not positional:
                    for docnum in docnums:
                        held[docnum][lang].add(term)
                        found[docnum].setdefault(lang, {})[term] = None
                    continue
                matcher = self.reader.postings(fieldname, term)
                for docnum in docnums:
                    if not matcher.is_active():
                        break
                    matcher.skip_to(docnum)
                    if matcher.is_active() and matcher.id() == docnum:
                        held[docnum][lang].add(term)
                        # the field's weight of a term: its occurrences (every token's boost is 1)
                        found[docnum].setdefault(lang, {})[term] = matcher.weight()
                        if positional:
                            positions[docnum].setdefault(lang, {})[term] = matcher.value_as("positions")
        self._frequencies.update(found)
        self._held.update(held)
        self._positions.update(positions)


#: Where :func:`locate` puts what is in the title.
TITLE = -1


def locate(positions, widths, paragraph_langs):
    """``{paragraph number, or TITLE: {field language or "names": [position
    in it, ...]}}``: where the terms at ``positions`` (:meth:`HeldTerms.positions`
    of the body) stand.  ``widths`` are the positions the title and then each
    paragraph take (the stored ``paragraph_positions``): a language's body
    field holds its paragraphs, the names field the title and every paragraph."""
    numbers = {}
    for number, lang in enumerate(paragraph_langs):
        numbers.setdefault(text_field_language(lang), []).append(number)
    located = {}
    for kind, by_term in positions.items():
        held = numbers.get(kind, ()) if kind != NAMES_FIELD else range(len(paragraph_langs))
        # where each paragraph (and for the names, the title) starts in the field
        parts = [TITLE, *held] if kind == NAMES_FIELD else list(held)
        starts = list(accumulate((widths[part + 1] for part in parts), initial=0))
        for found in by_term.values():
            for position in found:
                at = bisect_right(starts, position) - 1
                if at < len(parts):
                    located.setdefault(parts[at], {}).setdefault(kind, []).append(position - starts[at])
    return located


def analyzed_words(text, analyzer):
    """``(term, folded term, startchar, endchar)`` of what ``analyzer`` indexes
    ``text`` under, in order: what ``analyzer(text, chars=True,
    mode="index")`` yields, each distinct word analyzed once per process
    (:class:`_WordTerms`)."""
    text = nfc(text)
    words = [(text[start:end], start) for start, end in token_spans(text)]
    terms, _ = _WordTerms.of(analyzer).learn({word for word, _ in words})
    for word, offset in words:
        for term, folded, start, end in terms[word]:
            yield term, folded, offset + start, offset + end


def _merge(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_html(text, spans):
    """``text`` HTML-escaped, with ``<mark>`` around each span."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(html.escape(text[position:start]))
        parts.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def snippet(text, spans):
    return {"html": marked_html(text, spans), "text": text, "matches": [list(span) for span in spans]}


def _window(paragraph, spans):
    """A passage of about PASSAGE_CHARS around the paragraph's best run of
    marks, cut at word boundaries, with an ellipsis where cut."""
    if len(paragraph) <= PASSAGE_CHARS:
        return paragraph, spans
    best_start = max(
        (s for s, _ in spans),
        key=lambda s: sum(1 for t, _ in spans if s <= t < s + PASSAGE_CHARS - LEAD_CHARS),
        default=0,
    )
    start = max(0, best_start - LEAD_CHARS)
    if start:
        boundary = _SPACE.search(paragraph, start)
        start = boundary.end() if boundary and boundary.end() <= best_start else start
    end = min(len(paragraph), start + PASSAGE_CHARS)
    if end < len(paragraph):
        boundary = paragraph.rfind(" ", start, end)
        end = boundary if boundary > start else end
    text = paragraph[start:end].strip()
    shift = start + (len(paragraph[start:end]) - len(paragraph[start:end].lstrip()))
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(paragraph) else ""
    inside = [
        (s - shift + len(prefix), e - shift + len(prefix))
        for s, e in spans
        if s >= shift and e <= shift + len(text)
    ]
    return prefix + text + suffix, inside


def passages(paragraphs, terms, prefixes, limit=PASSAGES, learned=None, located=None):
    """Up to ``limit`` snippets from ``[(text, lang)]``: the paragraphs with
    the most distinct matched words, in reading order.  Without any match, the
    opening of the article.  With ``located`` (:func:`locate`), the marks are
    found where the terms are, not by reading every paragraph."""
    scored = []
    for number, (text, lang) in enumerate(opening(paragraphs)):
        if located is None:
            spans = match_spans(text, lang, terms, prefixes, learned)
        else:
            spans = located_spans(text, located.get(number), terms, prefixes)
        if spans:
            distinct = len({text[s:e].casefold() for s, e in spans})
            scored.append((-distinct, -len(spans), number, text, spans))
    if not scored:
        if not paragraphs:
            return []
        text, _ = _window(paragraphs[0][0], [])
        return [snippet(text, [])]
    chosen = sorted(sorted(scored)[:limit], key=lambda row: row[2])
    return [snippet(*_window(text, spans)) for _, _, _, text, spans in chosen]
