"""BM25F with statistics per language.

Whoosh computes a field's IDF and average length over *all* documents of the
index.  With one field per language that makes a language's statistics depend
on how many articles the other languages have: in an index with few Hungarian
articles, a Hungarian word found in every Hungarian article would look rare,
and every Hungarian article would look four times longer than average.  Here
both are computed over the documents that have text in the field's language.

:class:`BestOf` scores a document by the best of several matches (a word as
typed, and through its cross-script key), where ``Or`` would add them.
"""

from math import log

from whoosh.matching import UnionMatcher
from whoosh.query import DisjunctionMax
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

from index.schema import NAMES_FIELD, TEXT_LANGUAGES, term_text

#: No length normalization in the names field: it holds only a text's
#: capitalised words, so its lengths say little about the text, and short
#: ones would favour articles that match only through names.
NAMES_FIELD_B = {NAMES_FIELD: 0.0}


def documents_per_field(reader):
    """``{field name: number of documents with text in its language}``."""
    per_language = {}
    for term in reader.lexicon("languages"):
        lang = term_text(term)
        per_language[lang] = sum(1 for _ in reader.postings("languages", lang).all_ids())
    counts = {lang: per_language.get(lang, 0) for lang in TEXT_LANGUAGES if lang != "xx"}
    counts["xx"] = sum(n for lang, n in per_language.items() if lang not in counts)
    return {f"{kind}_{lang}": n for lang, n in counts.items() for kind in ("title", "body", "words")}


def news_weighting(reader):
    """How the engine scores: what a searcher of the index is given, by the
    server and by whatever precomputes answers for it (search.completions)."""
    return LanguageBM25F(documents_per_field(reader), field_B=NAMES_FIELD_B)


class LanguageBM25F(BM25F):
    def __init__(self, field_documents, B=0.75, K1=1.2, field_B=None):
        super().__init__(B=B, K1=K1)
        self.field_documents = field_documents
        #: length normalization per field, where it differs from ``B``
        self.field_B = field_B or {}

    def documents(self, searcher, fieldname):
        return self.field_documents.get(fieldname) or searcher.get_parent().doc_count_all() or 1

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        total = max(self.documents(parent, fieldname), df)
        # Lucene's BM25 IDF: positive even for a word in most documents.
        return log(1 + (total - df + 0.5) / (df + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        return _Scorer(searcher, fieldname, text, self, qf)


class _Scorer(BM25FScorer):
    def __init__(self, searcher, fieldname, text, weighting, qf):
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        self.avgfl = parent.field_length(fieldname) / weighting.documents(parent, fieldname) or 1
        self.B, self.K1, self.qf = weighting.field_B.get(fieldname, weighting.B), weighting.K1, qf
        self.setup(searcher, fieldname, text)


class _BestOfMatcher(UnionMatcher):
    """A union that scores a document by the better of its two matches.
    (Whoosh's DisjunctionMaxMatcher compares the scores of postings on
    different documents; this one compares only those on the current one.)
    No block-quality skipping: the sums it would assume do not hold."""

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        a, b = self.a.replace(), self.b.replace()
        if not a.is_active():
            return b
        if not b.is_active():
            return a
        return self if (a is self.a and b is self.b) else self.__class__(a, b)

    def score(self):
        a, b = self.a, self.b
        current = self.id()
        scores = [m.score() for m in (a, b) if m.is_active() and m.id() == current]
        return max(scores)


class BestOf(DisjunctionMax):
    """Matches what any subquery matches; a document scores the best of its
    subqueries' scores, not their sum."""

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, _BestOfMatcher, searcher, context, None)
