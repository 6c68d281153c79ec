"""Scoring a matcher at a time gives every document the score of Whoosh's
document-at-a-time walk, bit for bit, and the collector the same top list."""

import random

import pytest
from whoosh import fields, query as q
from whoosh.collectors import Collector
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import WrappingMatcher

from search.collect import TopAndAllCollector, matcher_scores, phrase_scores
from search.engine import SearchEngine
from search.scoring import BestOf, LanguageBM25F

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


@pytest.fixture(scope="module")
def searcher():
    """Three segments, some posting lists longer than a block (Whoosh's are 128 postings)."""
    schema = fields.Schema(id=fields.ID(stored=True), title=fields.TEXT, body=fields.TEXT, tag=fields.KEYWORD)
    ix = RamStorage().create_index(schema)
    rng = random.Random(5)
    for segment in range(3):
        with ix.writer() as writer:
            for n in range(400):
                words = rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.randint(1, 40))
                writer.add_document(
                    id=f"{segment}-{n}", title=" ".join(words[:3]), body=" ".join(words), tag=rng.choice("xyz")
                )
            writer.mergetype = __import__("whoosh.writing", fromlist=["NO_MERGE"]).NO_MERGE
    s = ix.searcher(weighting=LanguageBM25F({"title": 1000, "body": 1100}, field_B={"title": 0.0}))
    assert len(s.subsearchers) == 3
    yield s
    s.close()


QUERIES = [
    q.Term("body", "alpha"),
    q.Or([q.Term("body", "mu"), q.Term("title", "mu", boost=0.5), q.Term("body", "lambda", boost=0.3)]),
    BestOf([q.Or([q.Term("body", "kappa"), q.Term("title", "kappa")]), q.Term("body", "iota", boost=0.4)]),
    q.And([q.Term("body", "beta"), q.Or([q.Term("body", "eta"), q.Term("title", "theta")])]),
    q.AndMaybe(q.Term("body", "gamma"), q.Phrase("body", ["delta", "epsilon"], slop=4, boost=2.0)),
    q.AndNot(q.Or([q.Term("body", "zeta"), q.Term("body", "eta")]), q.Term("title", "alpha")),
    q.And([q.Or([q.Term("body", "iota"), q.Term("body", "nothing")], boost=1.5), q.Term("tag", "y")]),
    q.Or([q.Term("body", w, boost=1 + i / 10) for i, w in enumerate(WORDS)]),
    # unscored filter terms, whose postings the collector keeps: moved on by an intersection, asked again, in a union
    q.And([q.Term("body", "lambda"), q.Term("tag", "x")]),
    q.And([q.Term("title", "mu"), q.Term("tag", "x")]),
    q.Or([q.Term("tag", "z"), q.Term("body", "mu")]),
    # filters on both sides of an intersection, inside a union, in an intersection moved on by another
    q.And([q.Term("tag", "x"), q.Term("tag", "x")]),
    q.Or([q.And([q.Term("body", "kappa"), q.Term("tag", "y")]), q.Term("title", "iota")]),
    q.And([q.And([q.Term("tag", "z"), q.Term("body", "theta")]), q.Term("title", "beta")]),
    q.And([q.And([q.Term("tag", "y"), q.Term("tag", "y")]), q.Term("title", "gamma")]),
    # phrases: two and three words, next to each other or within a slop, in a tree, boosted
    q.Phrase("body", ["alpha", "beta"]),
    q.Phrase("body", ["alpha", "beta", "gamma"], slop=2),
    q.Phrase("title", ["beta", "alpha"], slop=1, boost=1.5),
    q.And([q.Phrase("body", ["gamma", "alpha"], slop=3), q.Term("tag", "z")]),
    q.Or([q.Phrase("body", ["delta", "alpha"]), q.Phrase("title", ["alpha", "alpha"], slop=4, boost=2.0)]),
]

PHRASES = [query for query in QUERIES if isinstance(query, q.Phrase)]


class WalkingCollector(TopAndAllCollector):
    """The same collector walking the matches a document at a time (Whoosh's way)."""

    collect_matches = Collector.collect_matches


def walked(matcher):
    scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_each_document_scores_as_in_the_walk(searcher, query):
    for sub, _ in searcher.leaf_searchers():
        expected = walked(query.matcher(sub))
        assert expected
        assert matcher_scores(query.matcher(sub)) == expected  # floats compared exactly


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_with_kept_filter_postings_each_document_scores_as_in_the_walk(searcher, query):
    """As the collector calls it: unscored terms' postings kept per segment, asked twice."""
    for sub, _ in searcher.leaf_searchers():
        expected = walked(query.matcher(sub))
        for _ in range(2):
            assert matcher_scores(query.matcher(sub), filters=sub.reader()) == expected


def test_an_intersection_of_kept_filters_moved_on_starts_where_it_stands(searcher):
    """Both sides' whole kept posting lists hold documents before the
    intersection's: they are not its matches from there."""
    query = q.And([q.Term("tag", "y"), q.Term("tag", "y")])
    for sub, _ in searcher.leaf_searchers():
        expected = walked(query.matcher(sub))
        middle = sorted(expected)[len(expected) // 2]
        moved = query.matcher(sub)
        moved.skip_to(middle)
        assert matcher_scores(moved, filters=sub.reader()) == {d: s for d, s in expected.items() if d >= middle}


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_the_same_top_list_and_result_set(searcher, query):
    ours = TopAndAllCollector(25)
    searcher.search_with_collector(query, ours)
    walking = WalkingCollector(25)
    searcher.search_with_collector(query, walking)
    assert [(hit.docnum, hit.score) for hit in ours.results()] == [(hit.docnum, hit.score) for hit in walking.results()]
    assert ours.docset == walking.docset
    assert ours.docset == set(searcher.docs_for_query(query))


def _unboosted(matcher):
    return matcher.child if type(matcher) is WrappingMatcher else matcher


@pytest.mark.parametrize("query", PHRASES, ids=str)
def test_phrases_are_scored_from_their_postings_not_walked(searcher, query):
    """The block-at-a-time path is taken (it would not be if the phrase's
    matcher or its terms' were of another kind), and agrees with the walk
    from wherever the phrase's matcher was moved to."""
    for sub, _ in searcher.leaf_searchers():
        expected = walked(query.matcher(sub))
        assert len(expected) > 1
        assert phrase_scores(_unboosted(query.matcher(sub))) == walked(_unboosted(query.matcher(sub)))
        middle = sorted(expected)[len(expected) // 2]
        moved = query.matcher(sub)
        moved.skip_to(middle)
        assert matcher_scores(moved) == {docnum: score for docnum, score in expected.items() if docnum >= middle}


@pytest.mark.parametrize("limit", [1, 3, 10, 5000])
@pytest.mark.parametrize("query", [q.Term("tag", "x"), q.Term("body", "alpha"), QUERIES[7]], ids=str)
def test_only_the_documents_that_can_stay_go_through_the_heap(searcher, query, limit):
    """The same top list as handing every match to the heap, ties (every
    document of an unscored filter scores alike) kept for the earliest
    document, with and without excluded documents."""
    everything = sorted(searcher.docs_for_query(query))
    for excluded in (frozenset(), frozenset(everything[1::3])):
        ours, walking = TopAndAllCollector(limit, excluded), WalkingCollector(limit, excluded)
        searcher.search_with_collector(query, ours)
        searcher.search_with_collector(query, walking)
        assert [(hit.docnum, hit.score) for hit in ours.results()] == [(hit.docnum, hit.score) for hit in walking.results()]
        assert ours.docset == walking.docset == set(everything) - excluded


def test_excluded_documents_are_neither_ranked_nor_counted(searcher):
    query = q.Term("body", "alpha")
    everything = set(searcher.docs_for_query(query))
    excluded = frozenset(sorted(everything)[::2])
    ours = TopAndAllCollector(10, excluded)
    searcher.search_with_collector(query, ours)
    assert ours.docset == everything - excluded
    assert not {hit.docnum for hit in ours.results()} & excluded


def test_the_engines_queries_score_as_in_the_walk(demo_index):
    """The real expansions (translations, names keys, proximity phrases) on the demo index."""
    from search.expand import expand
    from search.parse import parse

    snapshot = SearchEngine(demo_index)._current()
    for text in ("στρατιώτες", "Belousow Pjöngjang", "Verteidigungsministers", "Rakete* lang:de", '"Kim Jong Un"', "Πούτιν -Κουρσκ"):
        query = expand(snapshot.searcher, parse(text), translations=snapshot.translations).query
        for sub, _ in snapshot.searcher.leaf_searchers():
            assert matcher_scores(query.matcher(sub, sub.context())) == walked(query.matcher(sub, sub.context()))
