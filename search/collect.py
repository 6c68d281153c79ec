"""Collect: the best-scored documents of a query and every document it
matches, in one pass over the matches.

A search needs both: the best documents for the page (and the pool that
:mod:`search.mix` mixes languages from), and the whole result set for the
total and the facets.  Whoosh's ``docs_for_query`` and a scored ``search``
walk the same postings twice; most of our queries cannot skip any of that
walk anyway (a disjunction-max over the cross-script keys,
:class:`search.scoring.BestOf`, has no block-quality skipping), so one scored
walk that also notes every document costs little more than the scored one.
"""

from whoosh.collectors import TopCollector


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
