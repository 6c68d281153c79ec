"""Facet: counts of language, source and month over the whole result set.

The documents of every facet value are read once per index version (there are
few languages and months, and a few hundred sources).  A facet with one value
per document (source, month) is kept as a column: each document's value
number, so that counting a result set is one pass over its documents.  A
facet whose documents may hold several values (an article's languages) is
counted by one set intersection per value.
"""

from array import array
from collections import Counter

from index.schema import term_text

FACETS = {"lang": "languages", "source": "source", "month": "month"}
MAX_VALUES = 20
#: The column's number for a document without a value.
NO_VALUE = 0


class FacetCounter:
    def __init__(self, reader):
        self._postings = {}
        self._columns = {}
        for facet, fieldname in FACETS.items():
            values = {}
            for term in reader.lexicon(fieldname):
                value = term_text(term)
                docs = frozenset(reader.postings(fieldname, value).all_ids())
                if docs:
                    values[value] = docs
            column = _column(values, reader.doc_count_all())
            if column is None:
                self._postings[facet] = values
            else:
                self._columns[facet] = (list(values), column)

    def count(self, docs):
        """``{facet: [{"value", "count"}]}`` for the set of document numbers ``docs``,
        most frequent first (months newest first)."""
        result = {}
        for facet in FACETS:
            if facet in self._columns:
                names, column = self._columns[facet]
                numbers = Counter(map(column.__getitem__, docs))
                numbers.pop(NO_VALUE, None)
                counts = [(names[number - 1], n) for number, n in numbers.items()]
            else:
                counts = [(value, len(docs & members)) for value, members in self._postings[facet].items()]
                counts = [(value, n) for value, n in counts if n]
            if facet == "month":
                counts.sort(key=lambda vc: vc[0], reverse=True)
            else:
                counts.sort(key=lambda vc: (-vc[1], vc[0]))
            result[facet] = [{"value": value, "count": n} for value, n in counts[:MAX_VALUES]]
        return result


def _column(values, doc_count):
    """Each document's value number (1 for the first of ``values``, …;
    :data:`NO_VALUE` for none), or None when a document holds several."""
    column = array("I", bytes(4 * doc_count))
    for number, members in enumerate(values.values(), 1):
        for docnum in members:
            if column[docnum] != NO_VALUE:
                return None
            column[docnum] = number
    return column
