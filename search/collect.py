"""Collect: the best-scored documents of a query and every document it
matches, in one pass over the matches.

A search needs both: the best documents for the page (and the pool that
:mod:`search.mix` mixes languages from), and the whole result set for the
total and the facets.  Whoosh's ``docs_for_query`` and a scored ``search``
walk the same postings twice; most of our queries cannot skip any of that
walk anyway (a disjunction-max over the cross-script keys,
:class:`search.scoring.BestOf`, has no block-quality skipping), so one scored
walk that also notes every document costs little more than the scored one.

That walk is done a matcher at a time rather than a document at a time
(:func:`matcher_scores`): Whoosh's tree of matchers moves every document
through every node in Python (``is_active``, ``id``, ``next``, ``score`` on
each level, for each of the twenty to forty terms a word expands to), which
was most of a word query's time once its translations match thousands of
articles in the other languages.  Each leaf's postings are read a block at a
time and scored with the leaf's own scorer; each combining node then joins
its children's ``{document: score}`` with the same arithmetic, in the same
order, as its ``score()`` method, so every document gets the very score the
document-at-a-time walk gives it (same floating-point operations), and the
collector sees the documents in the same order.  A node of a kind not known
here (a range, a phrase over prefixes) is walked document at a time, as before.
A phrase of plain terms (:func:`phrase_scores`) reads its terms' postings a
block at a time too, and tests the word positions of only the documents that
have every term, with Whoosh's own span test.
"""

import functools
import heapq
import weakref

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.collectors import TopCollector
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.query.spans import Span, SpanNear2
from whoosh.scoring import BM25FScorer, WeightLengthScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from index.codec import LEAF_MATCHERS

from .scoring import _BestOfMatcher


def _never():
    return None


#: A field length as the per-document length byte decodes (what
#: ``doc_field_length`` returns: ``None`` for a zero byte).
_LENGTH_OF_BYTE = (None,) + tuple(byte_to_length(b) for b in range(1, 256))
#: segment reader → {field name: its documents' length bytes, or None}
_LENGTH_BYTES = weakref.WeakKeyDictionary()
#: segment reader → {(field, term): {document: weight}} of unscored fields
#: (the ``languages`` and ``source_key`` of a filter: the same few long
#: posting lists, scored by their weights alone, in query after query)
_FILTER_POSTINGS = weakref.WeakKeyDictionary()


def field_length_bytes(reader, fieldname):
    """One segment's length byte of every document in ``fieldname`` (read
    once per segment reader, one byte a document), or ``None`` where the
    segment stores lengths in a way not known here."""
    per_field = _LENGTH_BYTES.setdefault(reader, {})
    if fieldname not in per_field:
        per_field[fieldname] = _read_length_bytes(reader, fieldname)
    return per_field[fieldname]


def _read_length_bytes(reader, fieldname):
    try:
        perdoc, doccount = reader._perdoc, reader.doc_count_all()
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1 or column._default != 0:
            return None
        stored = column._dbfile.get(column._basepos, column._count)
    except AttributeError:  # another codec
        return None
    # documents past the column's end have the default: no length
    return bytes(stored[: doccount + 1]).ljust(doccount + 1, b"\0")


def matcher_scores(matcher, check=_never, lengths=None, filters=None):
    """``{document number in the segment: score}`` of every document
    ``matcher`` matches from where it stands (it is used up), each scored
    exactly as ``matcher.score()`` scores it there.  ``check`` is called
    between nodes and blocks (a time budget raises from it); ``lengths``
    (field name → :func:`field_length_bytes` of the matcher's segment)
    spares each posting a column look-up; with ``filters`` (the matcher's
    segment reader), the postings of unscored fields are kept
    (:func:`filter_postings`)."""
    check()
    kind = type(matcher)
    if kind is NullMatcherClass or not matcher.is_active():
        return {}
    if kind is UnionMatcher or kind is _BestOfMatcher:
        a, b = matcher_scores(matcher.a, check, lengths, filters), matcher_scores(matcher.b, check, lengths, filters)
        if kind is UnionMatcher:
            # a + b == b + a exactly: the larger side is copied, the smaller added in
            joined, other = (dict(a), b) if len(a) >= len(b) else (dict(b), a)
            for docnum, score in other.items():
                mine = joined.get(docnum)
                joined[docnum] = score if mine is None else mine + score
        else:
            joined, other = (dict(a), b) if len(a) >= len(b) else (dict(b), a)
            for docnum, score in other.items():
                mine = joined.get(docnum)
                joined[docnum] = score if mine is None else max(mine, score)
        return joined
    if kind is IntersectionMatcher:
        # A filter's whole posting list is taken as it is kept (not copied
        # from where the intersection moved it on, 12,000 documents for a
        # lang: filter): documents before the intersection's are then dropped
        # from the result.
        first = matcher.id()
        a, a_whole = _intersected(matcher.a, check, lengths, filters)
        b, b_whole = _intersected(matcher.b, check, lengths, filters)
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        if a_whole or b_whole:
            return {docnum: a[docnum] + b[docnum] for docnum in small if docnum in large and docnum >= first}
        return {docnum: a[docnum] + b[docnum] for docnum in small if docnum in large}
    if kind is AndMaybeMatcher:
        a, b = matcher_scores(matcher.a, check, lengths, filters), matcher_scores(matcher.b, check, lengths, filters)
        for docnum, score in b.items():
            mine = a.get(docnum)
            if mine is not None:
                a[docnum] = mine + score
        return a
    if kind is AndNotMatcher:
        a, b = matcher_scores(matcher.a, check, lengths, filters), matcher_scores(matcher.b, check, lengths, filters)
        return {docnum: score for docnum, score in a.items() if docnum not in b}
    if kind is WrappingMatcher:
        boost = matcher.boost
        return {docnum: score * boost for docnum, score in matcher_scores(matcher.child, check, lengths, filters).items()}
    if kind is _PHRASE:
        scores = phrase_scores(matcher, check, lengths)
        if scores is not None:
            return scores
    if kind in LEAF_MATCHERS:
        if _is_filter(matcher, filters):
            return filter_postings(filters, matcher, check)
        scores = _leaf_scores(matcher, check, lengths)
        if scores is not None:
            return scores
    return _walk(matcher)


def _is_filter(matcher, filters):
    return filters is not None and type(matcher) in LEAF_MATCHERS and type(matcher.scorer) is WeightScorer and matcher._term


def _intersected(matcher, check, lengths, filters):
    """``(scores, whole)`` of one side of an intersection: a filter's whole
    kept posting list, not to be changed (``whole``: it may hold documents
    before where the matcher stands), or :func:`matcher_scores`."""
    if matcher.is_active() and _is_filter(matcher, filters):
        return _kept_postings(filters, matcher, check), True
    return matcher_scores(matcher, check, lengths, filters), False


def _kept_postings(reader, matcher, check):
    """The whole posting list of an unscored field's term, read once per segment reader."""
    cached = _FILTER_POSTINGS.setdefault(reader, {})
    scores = cached.get(matcher._term)
    if scores is None:
        matcher.reset()
        scores = cached[matcher._term] = _leaf_scores(matcher, check, None)
    return scores


def filter_postings(reader, matcher, check=_never):
    """:func:`matcher_scores` of a leaf of an unscored field, whose whole
    posting list is read once per segment reader; the documents from where
    the matcher stands (a parent may have moved it on)."""
    current = matcher.id()
    scores = _kept_postings(reader, matcher, check)
    if scores and next(iter(scores)) == current:
        return dict(scores)
    return {docnum: weight for docnum, weight in scores.items() if docnum >= current}


def _leaf_scoring(matcher, lengths):
    """How a leaf's postings are scored: ``(score, length, stored lengths, bm25)``
    for :func:`_leaf_scores`, or ``None`` for a scorer not known here."""
    scorer = matcher.scorer
    scorer_kind = type(scorer)
    if scorer_kind.score is WeightLengthScorer.score:
        stored = lengths(matcher._term[0]) if lengths and getattr(matcher, "_term", None) else None
        return scorer._score, scorer.dfl, stored, stored is not None and scorer_kind._score is BM25FScorer._score
    if scorer_kind.score is WeightScorer.score:
        return None, None, None, False
    return None


def _leaf_scores(matcher, check, lengths, scoring=None):
    """A posting list's scores, block by block (``None``: a scorer not known here)."""
    scoring = scoring or _leaf_scoring(matcher, lengths)
    if scoring is None:
        return None
    scores = {}
    for ids, weights, _ in _blocks(matcher, check):
        _score_into(scores, matcher.scorer, scoring, ids, weights)
    return scores


def _blocks(matcher, check, values=False):
    """``(document numbers, weights, values or None)`` of each block of a
    posting list from where the matcher stands (it is used up)."""
    while matcher.is_active():
        check()
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        if values and matcher._values is None:
            matcher._read_values()
        start = matcher._i
        yield matcher._ids[start:], matcher._weights[start:], matcher._values[start:] if values else None
        matcher._next_block()


def _score_into(scores, scorer, scoring, ids, weights):
    """Each posting's score, as the leaf's scorer scores it, into ``scores``."""
    score, length, stored, bm25 = scoring
    if score is None:
        scores.update(zip(ids, weights))
    elif bm25:
        # whoosh.scoring.bm25, operation for operation (the same floats), with
        # what depends on the document's length byte alone computed once per byte
        idf, K1 = scorer.idf, scorer.K1
        k1_plus_1, length_part = K1 + 1, _bm25_length_parts(scorer.avgfl, scorer.B, K1)
        for docnum, tf in zip(ids, weights):
            scores[docnum] = idf * ((tf * k1_plus_1) / (tf + length_part[stored[docnum]]))
    else:
        for docnum, weight in zip(ids, weights):
            scores[docnum] = score(weight, length(docnum))


@functools.lru_cache(maxsize=256)
def _bm25_length_parts(avgfl, B, K1):
    """``K1 * ((1 - B) + B * fl / avgfl)`` of BM25 for each length byte's
    field length ``fl`` (``None`` for the zero byte, which no posting has)."""
    return (None,) + tuple(K1 * ((1 - B) + B * fl / avgfl) for fl in _LENGTH_OF_BYTE[1:])


#: The matcher of Whoosh's ``Phrase`` (a ``SpanNear2`` over its terms).
_PHRASE = SpanNear2.SpanNear2Matcher


class _SpansOf:
    """Stands for a term's matcher in Whoosh's span test: the spans of one document."""

    __slots__ = ("_spans",)

    def __init__(self, spans):
        self._spans = spans

    def spans(self):
        return self._spans


class _SpanTest:
    """What ``SpanNear2Matcher._get_spans`` reads of its matcher."""

    __slots__ = ("ms", "slop", "ordered", "mindist")

    def __init__(self, phrase, span_lists):
        self.ms = span_lists
        self.slop, self.ordered, self.mindist = phrase.slop, phrase.ordered, phrase.mindist


def _spans(leaf, value):
    """A posting value's spans, as ``leaf.spans()`` makes them."""
    if leaf.supports("characters"):
        return [Span(pos, startchar=s, endchar=e) for pos, s, e in leaf.format.decoder("characters")(value)]
    return [Span(pos) for pos in leaf.format.decoder("positions")(value)]


def _tree_leaves(node, leaves):
    """Whether ``node`` is an intersection tree of exactly ``leaves`` (by identity)."""
    found = []
    stack = [node]
    while stack:
        node = stack.pop()
        if type(node) is IntersectionMatcher:
            stack += (node.a, node.b)
        else:
            found.append(node)
    return len(found) == len(leaves) and {id(n) for n in found} == {id(n) for n in leaves}


def _tree_score(node, docnum, leaf_scores):
    """``node.score()`` at ``docnum`` for an intersection tree: its leaves'
    scores added in the tree's order."""
    if type(node) is IntersectionMatcher:
        return _tree_score(node.a, docnum, leaf_scores) + _tree_score(node.b, docnum, leaf_scores)
    return leaf_scores[id(node)][docnum]


def phrase_scores(matcher, check=_never, lengths=None):
    """:func:`matcher_scores` of a phrase whose terms are posting lists of a
    kind known here (``None`` otherwise): each term's postings and their
    values read a block at a time, and for each document that has every
    term, Whoosh's own span test on their positions; only a document that
    passes is scored, with what the phrase's matcher scores there (its
    terms' scores summed as its intersection tree sums them, times its boost)."""
    leaves = matcher.ms
    if not all(type(leaf) in LEAF_MATCHERS for leaf in leaves) or not _tree_leaves(matcher.child, leaves):
        return None
    scorings = [_leaf_scoring(leaf, lengths) for leaf in leaves]
    if None in scorings:
        return None
    postings = []  # per term: {document: (weight, value)}
    for leaf in leaves:
        found = {}
        for ids, weights, values in _blocks(leaf, check, values=True):
            found.update(zip(ids, zip(weights, values)))
        postings.append(found)
    test = type(matcher)._get_spans
    matched = []
    for docnum in sorted(set(postings[0]).intersection(*postings[1:])):
        span_lists = [_SpansOf(_spans(leaf, found[docnum][1])) for leaf, found in zip(leaves, postings)]
        if test(_SpanTest(matcher, span_lists)):
            matched.append(docnum)
    # the terms scored for the documents that have the phrase only
    leaf_scores = {}
    for leaf, scoring, found in zip(leaves, scorings, postings):
        leaf_scores[id(leaf)] = {}
        _score_into(leaf_scores[id(leaf)], leaf.scorer, scoring, matched, [found[docnum][0] for docnum in matched])
    return {docnum: _tree_score(matcher.child, docnum, leaf_scores) * matcher.boost for docnum in matched}


def _walk(matcher):
    scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


class TopAndAllCollector(TopCollector):
    """The top ``limit`` documents by score, as Whoosh's ``TopCollector``
    ranks them (ties by document number), and in ``docset`` every matching
    document not in ``excluded`` (global document numbers; those are neither
    scored nor counted, as with ``search(..., mask=excluded)``)."""

    def __init__(self, limit, excluded=frozenset()):
        # No block-quality skipping and no pruning of the matcher by the
        # lowest score that still makes the top: either would leave matching
        # documents uncounted.
        super().__init__(limit, usequality=False)
        self.excluded = excluded

    def collect_matches(self, check=_never):
        """Every match of the current segment, scored a matcher at a time;
        the top-``limit`` heap is left as handing it the matches in document
        order leaves it (as the walk would: which of equal scores stay
        depends on it)."""
        offset, excluded, docset, final_fn = self.offset, self.excluded, self.docset, self.final_fn
        reader = self.subsearcher.reader()
        scores = matcher_scores(self.matcher, check, lambda fieldname: field_length_bytes(reader, fieldname), reader)
        if not final_fn:
            self._collect_best(scores)
            return
        for sub_docnum in sorted(scores):
            docnum = offset + sub_docnum
            if docnum in excluded:
                continue
            docset.add(docnum)
            self._collect(docnum, final_fn(self.top_searcher, docnum, scores[sub_docnum]))
        self.minscore = 0

    def _collect_best(self, scores):
        """What handing every document of ``scores`` to the heap in document
        order leaves in it, from the few that can stay: the heap keeps the
        ``limit`` best by (score, earlier document), and a document with
        ``limit`` others of its segment scored above it cannot be among them.
        The others are counted in ``docset`` only (handing each of 12,000
        matches to the heap was a fifth of such a search's answer time)."""
        offset, excluded = self.offset, self.excluded
        if excluded:
            scores = {docnum: score for docnum, score in scores.items() if offset + docnum not in excluded}
        self.docset.update(map(offset.__add__, scores) if offset else scores)
        if len(scores) > self.limit:
            lowest_kept = heapq.nlargest(self.limit, scores.values())[-1]
            candidates = sorted(docnum for docnum, score in scores.items() if score >= lowest_kept)
            self.total += len(scores) - len(candidates)
        else:
            candidates = sorted(scores)
        for sub_docnum in candidates:
            self._collect(offset + sub_docnum, scores[sub_docnum])
        self.minscore = 0

    def collect(self, sub_docnum):
        docnum = self.offset + sub_docnum
        if docnum in self.excluded:
            return 0
        self.docset.add(docnum)
        score = self.matcher.score()
        if self.final_fn:
            score = self.final_fn(self.top_searcher, docnum, score)
        key = self._collect(docnum, score)
        # TopCollector raises this floor for ``matcher.replace``, which would
        # then drop the parts of the query that cannot lift a document into
        # the top (and with them documents that match only through those).
        self.minscore = 0
        return key

    def computes_count(self):
        return True

    def all_ids(self):
        return self.docset

    def count(self):
        return len(self.docset)
