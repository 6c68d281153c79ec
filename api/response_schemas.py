"""Response schemas: every JSON body the API sends is dumped through one of
these, so the OpenAPI spec (generated from them) describes exactly what is
sent.  Dumping also drops anything the engine returns that is not declared
here (such as the server's index path in ``stats``).

Fields are declared ``required`` because they are always sent (null where
allowed): the spec then tells clients they can rely on them.
"""

from marshmallow import Schema, fields


def string(description, **kwargs):
    return fields.String(required=True, metadata={"description": description}, **kwargs)


def nullable_string(description):
    return string(description, allow_none=True)


def integer(description):
    return fields.Integer(required=True, metadata={"description": description})


def listing(item, description):
    return fields.List(item, required=True, metadata={"description": description})


def nested_list(schema, description):
    return listing(fields.Nested(schema), description)


def counts(description):
    return fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={"description": description})


def offsets(description):
    return listing(fields.List(fields.Integer()), description)


OFFSETS = (
    "[start, end) offsets of the matched words in {}, counted in Unicode code points "
    "(JavaScript strings count UTF-16 units: convert past characters outside the BMP, such as emoji)."
)


class SnippetSchema(Schema):
    html = string("The passage as HTML: all text escaped, matched words in <mark>…</mark>.")
    text = string("The passage as plain text.")
    matches = offsets(OFFSETS.format("text"))


class ArticleFieldsSchema(Schema):
    """What search results, similar articles and documents have in common."""

    id = string("The article's id.")
    title = nullable_string("The headline, or null when the article has none.")
    lang = string("The article's language (ISO 639-1; und when undetermined).")
    languages = listing(fields.String(), "Every language its paragraphs are in.")
    date = nullable_string("Publication date, ISO 8601 (2024-11-30T10:12, or 2024-11-29 when the time is unknown).")
    source = nullable_string("The source as written (skai.gr, Dan Tri…).")
    url = nullable_string("The article's address.")


class ResultSchema(ArticleFieldsSchema):
    title_html = nullable_string("The headline as HTML: escaped, matched words in <mark>…</mark>.")
    title_matches = offsets(OFFSETS.format("title") + " Empty without a title.")
    score = fields.Float(
        required=True, metadata={"description": "Relevance score (higher is better); comparable within one response."}
    )
    snippets = nested_list(SnippetSchema, "Passages with the matched words; empty for similar articles.")


class FacetValueSchema(Schema):
    value = string("The language code, source or month (YYYY-MM).")
    count = integer("Matching articles with this value.")


class FacetsSchema(Schema):
    lang = nested_list(FacetValueSchema, "Matching articles per language of their text, most first.")
    source = nested_list(FacetValueSchema, "Matching articles per source, most first.")
    month = nested_list(FacetValueSchema, "Matching articles per month of publication, newest first.")


class SearchResponseSchema(Schema):
    query = string("The query as given.")
    total = integer("All matching articles, over every page.")
    total_all_words = integer(
        "How many of them have every word of the query; they come first. When fewer than ten do "
        "(and the results are ranked by relevance), the best partial matches follow them."
    )
    page = integer("This page's number, from 1.")
    per_page = integer("Results per page.")
    partial = fields.Boolean(
        required=True,
        metadata={"description": "True when some results (all, when total_all_words is 0) match only some of the words."},
    )
    results = nested_list(ResultSchema, "This page's results, best first (or newest first).")
    facets = fields.Nested(FacetsSchema, required=True, metadata={"description": "Counts over all matching articles."})
    did_you_mean = nullable_string("A corrected query when words look misspelled, else null.")
    took_ms = fields.Float(
        required=True, metadata={"description": "Time the server took to handle this request, in milliseconds."}
    )


class ParagraphSchema(Schema):
    text = string("The paragraph.")
    lang = string("The paragraph's own language (ISO 639-1).")


class DocumentSchema(ArticleFieldsSchema):
    body = string("The cleaned article text; paragraphs separated by a blank line.")
    paragraphs = nested_list(ParagraphSchema, "The paragraphs of body, in order, each with its language.")


class SimilarResponseSchema(Schema):
    id = string("The article the results are similar to.")
    results = nested_list(ResultSchema, "Most similar first.")


class SuggestionSchema(Schema):
    text = string("The completion.")
    kind = string("title: an article's headline; word: a word of the index.")


class SuggestResponseSchema(Schema):
    query = string("The text as given.")
    suggestions = nested_list(SuggestionSchema, "Best first.")


class IndexSummarySchema(Schema):
    version = string("Changes whenever the live index changes.")
    articles = integer("Articles in the index.")


class StatsResponseSchema(IndexSummarySchema):
    languages = counts("Articles per language.")
    paragraph_languages = counts("Paragraphs per language.")
    sources = counts("Articles per source.")
    generation = string("Name of the live index generation.")
    built_at = nullable_string("When the live generation was built (ISO 8601, UTC).")
    size_bytes = integer("Size of the index on disk.")


class HealthResponseSchema(IndexSummarySchema):
    status = string("ok")


class ErrorSchema(Schema):
    status = integer("The HTTP status code.")
    message = string("What went wrong and what to do about it.")
    # Named in Python so as not to hide marshmallow's Schema.fields; only
    # sent for invalid parameters.
    field_errors = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "For invalid parameters: the problems with each, by parameter name."},
    )


class ErrorResponseSchema(Schema):
    error = fields.Nested(ErrorSchema, required=True)
