"""A writer's postings, sorted and handed on per term instead of per posting.

Whoosh's ``PostingPool`` keeps every posting as a 5-tuple, sorts all of them
(by field, term, document, weight and value) whenever its memory is full,
writes them to disk as a run, and at commit merges the runs back posting by
posting for the codec to group them by term again: in a build that was 45 %
of a worker's time (``sorted`` alone 27 %).  But a writer numbers its
documents in increasing order, and adds each term of a field once per
document, so the postings of each (field, term) arrive already sorted: only
the terms need sorting.

:class:`TermPool` keeps the postings Whoosh's writer hands it in one list per
field, and sorts each list by term text alone: a stable sort of bytes keys,
which keeps each term's postings in the order they came (a third of the time
of sorting the whole tuples, 1,026,956 postings of 2,000 articles: 1.2 s
against 3.2 s with the grouping).  Its runs on disk hold one record per term
(its documents, weights and values as columns); at commit the runs and what
is still in memory are merged per term, a term's pieces concatenated in run
order, and handed to the codec a term at a time with the columns built
(:meth:`TermPostings.by_term`).

Whoosh's merges feed the same pool (``add_reader``: a segment's postings term
by term, numbered after the new documents and after the segments merged
before, so a term's still arrive in order).  Each term's document numbers
are checked as they are handed on; a term whose postings did not arrive in
order is sorted as Whoosh's pool sorts them.

Kept as tuples, the postings cost what they cost in Whoosh's pool (what its
memory estimate counts: 185 bytes each on average at 2,000 articles), so the
pool spills as often as Whoosh's did.  Packing each posting as it is added
into arrays (per term, or flat with the term's number, sorted at the end)
took a fraction of the memory but cost more in Python calls than the sort
saves; replaying the 1,026,956 postings of 2,000 articles (CPU seconds to
add them / to hand them on by term): per-term arrays 3.3 / 0.6, flat arrays
1.1 / 1.8, Whoosh's pool 0.4 / 2.5-3.2, this one 0.1 / 0.8-1.1.  Keeping
the writer's own value objects also keeps the segment's bytes: the codec
pickles a block's values, and a value object shared by several postings
(the token table's one-position encodings) is pickled once; values sliced
back out of one buffer made the postings file 0.4 % larger at 2,000 articles.
"""

import heapq
from itertools import groupby, islice
from operator import itemgetter, lt
from pickle import HIGHEST_PROTOCOL, dump, load

from whoosh.util import random_name

#: Bytes counted per posting: the average of Whoosh's own estimate (a
#: posting's tuple, its weight, value and list slot) at 2,000 articles.
POSTING_BYTES = 185
#: Terms per pickle in a run on disk.
RUN_TERMS = 1024

_TERM = itemgetter(0, 1)
_TEXT = itemgetter(1)


class TermPool:
    """In place of Whoosh's ``PostingPool`` (the same ``add``, ``save``,
    ``iter_postings``, ``cleanup``, ``fieldnames`` and ``runs``), for a
    writer whose segment is written through its own codec (``reduce_to``,
    which Whoosh's multiprocessing writer needs when it merges its workers'
    runs into one segment, is not provided)."""

    def __init__(self, tempstore, segment=None, limitmb=128, limit=None):
        self.tempstore = tempstore
        self.segment = segment
        self.limit = limitmb * 1024 * 1024 if limit is None else limit
        self.fieldnames = set()
        self.runs = []
        #: Terms whose postings came out of order (and were sorted).
        self.unordered_terms = 0
        self._clear()

    @classmethod
    def replacing(cls, pool):
        """A pool with the storage and budget of ``pool`` (a Whoosh pool)."""
        return cls(pool.tempstore, pool.segment, limit=pool.limit)

    def _clear(self):
        self._fields = {}  # field name -> [(field, term, docnum, weight, value), ...]
        self._room = max(1, int(self.limit // POSTING_BYTES))

    def add(self, item):
        postings = self._fields.get(item[0])
        if postings is None:
            postings = self._fields[item[0]] = []
            self.fieldnames.add(item[0])
        postings.append(item)
        self._room -= 1
        if not self._room:
            self.save()

    def _pieces(self):
        """``(field, term, docnums, weights, values)`` of every term in
        memory, sorted by field and term, each term's postings in the order
        they were added."""
        fields = self._fields
        for fieldname in sorted(fields):
            postings = fields.pop(fieldname)
            postings.sort(key=_TEXT)  # stable: a term's postings stay in order
            for btext, term_postings in groupby(postings, _TEXT):
                _, _, docnums, weights, values = zip(*term_postings)
                yield fieldname, btext, docnums, weights, values

    def save(self):
        """Write what is in memory as a run: one record per term (also
        called by Whoosh's multiprocessing writer to finish a worker)."""
        if self._fields:
            path = f"{random_name()}.run"
            f = self.tempstore.create_file(path)
            write_chunks(f, self._pieces(), RUN_TERMS)
            self.runs.append(path)
        self._clear()

    def _read_run(self, path):
        try:
            yield from read_chunks(self.tempstore.open_file(path).raw_file())
        finally:
            self.tempstore.delete_file(path)

    def terms(self):
        """``(field, term, docnums, weights, values)`` of every term, in
        order, each term's postings in document order; consumes the runs
        and the postings in memory."""
        sources = [self._read_run(path) for path in self.runs]
        self.runs = []
        if self._fields:
            sources.append(self._pieces())
        if len(sources) == 1:
            terms = sources[0]
        else:
            # heapq.merge yields equal keys in the order of its sources: a
            # term's pieces in run order.
            terms = map(_joined, groupby(heapq.merge(*sources, key=_TERM), _TERM))
        for term in terms:
            docnums = term[2]
            if len(docnums) > 1 and not all(map(lt, docnums, islice(docnums, 1, None))):
                self.unordered_terms += 1
                term = _sorted(term)
            yield term

    def iter_postings(self):
        return TermPostings(self)

    def cleanup(self):
        for path in self.runs:
            if self.tempstore.file_exists(path):
                self.tempstore.delete_file(path)
        self.runs = []
        self._clear()


class TermPostings:
    """The pool's postings as Whoosh's writers take them (5-tuples sorted by
    field, term and document), and a term at a time for a codec that knows
    (:meth:`by_term`)."""

    def __init__(self, pool):
        self._pool = pool

    def by_term(self):
        return self._pool.terms()

    def __iter__(self):
        for fieldname, btext, docnums, weights, values in self._pool.terms():
            for posting in zip(docnums, weights, values):
                yield (fieldname, btext, *posting)


def write_chunks(f, items, size):
    """``items`` into the run file ``f``, ``size`` a pickle, and ``f`` closed."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        dump(chunk, f, HIGHEST_PROTOCOL)
    f.close()


def read_chunks(f):
    """The items of a run file written by :func:`write_chunks`, ``f`` closed at the end."""
    try:
        while True:
            yield from load(f)
    except EOFError:
        return
    finally:
        f.close()


def _joined(group):
    (fieldname, btext), pieces = group
    first = next(pieces)
    rest = list(pieces)
    if not rest:
        return first
    docnums, weights, values = list(first[2]), list(first[3]), list(first[4])
    for _, _, more_docnums, more_weights, more_values in rest:
        docnums += more_docnums
        weights += more_weights
        values += more_values
    return fieldname, btext, docnums, weights, values


def _sorted(term):
    fieldname, btext, docnums, weights, values = term
    # Whoosh's pool sorts whole postings: document, then weight and value.
    docnums, weights, values = zip(*sorted(zip(docnums, weights, values)))
    return fieldname, btext, docnums, weights, values
