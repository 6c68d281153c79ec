"""Facet: counts of language, source and month over the whole result set.

The documents of every facet value are read once per index version (there are
few languages and months, and a few hundred sources); counting a result set
is then one set intersection per value.
"""

from index.schema import term_text

FACETS = {"lang": "languages", "source": "source", "month": "month"}
MAX_VALUES = 20


class FacetCounter:
    def __init__(self, reader):
        self._postings = {}
        for facet, fieldname in FACETS.items():
            values = {}
            for term in reader.lexicon(fieldname):
                value = term_text(term)
                docs = frozenset(reader.postings(fieldname, value).all_ids())
                if docs:
                    values[value] = docs
            self._postings[facet] = values

    def count(self, docs):
        """``{facet: [{"value", "count"}]}`` for the set of document numbers ``docs``,
        most frequent first (months newest first)."""
        result = {}
        for facet, values in self._postings.items():
            counts = [(value, len(docs & members)) for value, members in values.items()]
            counts = [(value, n) for value, n in counts if n]
            if facet == "month":
                counts.sort(key=lambda vc: vc[0], reverse=True)
            else:
                counts.sort(key=lambda vc: (-vc[1], vc[0]))
            result[facet] = [{"value": value, "count": n} for value, n in counts[:MAX_VALUES]]
        return result
