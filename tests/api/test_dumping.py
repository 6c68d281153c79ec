"""The compiled dumpers (api/dumping.py) send exactly what marshmallow's dump sends."""

import json

import pytest

from api import response_schemas as schemas
from api.dumping import dumper
from search import SearchEngine


@pytest.fixture(scope="module")
def engine(demo_index):
    return SearchEngine(demo_index)


def same_as_marshmallow(schema_class, obj):
    ours, theirs = dumper(schema_class)(obj), schema_class().dump(obj)
    # the same keys in the same order, the same values of the same types
    assert json.dumps(ours, ensure_ascii=False) == json.dumps(theirs, ensure_ascii=False)
    assert ours == theirs


@pytest.mark.parametrize("query", ["Belousov", "στρατιώτες", "Nordkorea Russland", "rakét*", "Belousow Λαβρόφ", "Korae", "zzzqx"])
def test_search_answers(engine, query):
    for sort in ("relevance", "date"):
        same_as_marshmallow(schemas.SearchResponseSchema, engine.search(query, sort=sort))


def test_documents_similar_and_suggestions(engine):
    first = engine.search("Korea")["results"][0]["id"]
    same_as_marshmallow(schemas.DocumentSchema, engine.document(first))
    same_as_marshmallow(schemas.SimilarResponseSchema, {"id": first, "results": engine.similar(first)})
    same_as_marshmallow(schemas.SuggestResponseSchema, {"query": "Ko", "suggestions": engine.suggest("Ko")})


def test_missing_extra_and_null_values():
    result = {"id": "x", "title": None, "lang": "de", "languages": ["de"], "score": 1, "snippets": [], "secret": "/srv"}
    same_as_marshmallow(schemas.ResultSchema, result)  # missing ones left out, the extra one dropped, 1 → 1.0
    same_as_marshmallow(schemas.SearchResponseSchema, {"query": "q", "total": 2.0, "partial": 0, "results": None})


def test_schemas_with_what_is_not_compiled_are_dumped_by_marshmallow():
    assert dumper(schemas.StatsResponseSchema).__self__.__class__ is schemas.StatsResponseSchema  # a Dict field
    same_as_marshmallow(schemas.StatsResponseSchema, {"version": "v", "articles": 5, "languages": {"de": 2}})
    same_as_marshmallow(schemas.ErrorResponseSchema, {"error": {"status": 400, "message": "m", "field_errors": {"q": ["x"]}}})
