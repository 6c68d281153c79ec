"""The endpoints.  Each view's docstring is its summary and description in
the OpenAPI spec and on the docs page."""

import logging

from flask import Response, request, url_for

from index.store import NoIndexError

from . import response_schemas as schemas
from .abuse import add_page_headers, html_policy, inline_style_hashes
from .docs_page import render_docs
from .endpoints import CONTENT, NO_STORE, api_state, blueprint, endpoint
from .errors import INDEX_UNAVAILABLE_MESSAGE, ApiError

log = logging.getLogger(__name__)

ARTICLE_ID = {"article_id": ("The article's id, as in search results.", "000_501efcaeca65557f")}


#: From a result list to its first article and the articles similar to it.
FIRST_RESULT_LINKS = {
    "firstResult": ("document", {"article_id": "$response.body#/results/0/id"}),
    "similarToFirstResult": ("similar", {"article_id": "$response.body#/results/0/id"}),
}


@endpoint(
    "/search", response=schemas.SearchResponseSchema, args="search", errors=(400, 503), timed=True,
    links=FIRST_RESULT_LINKS,
)
def search(engine, args):
    """Search articles in every language.

    Finds articles whose words match the query as analyzed in each paragraph's own language (inflected
    forms match: Nordkorea finds Nordkoreas, Белоусов finds Белоусова), with highlighted passages, facet
    counts over all matches, and a corrected query for words that look misspelled.
    """
    return engine.search(
        args["q"],
        langs=args.get("lang"),
        sources=args.get("source"),
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
        sort=args["sort"],
        page=args["page"],
        per_page=args["per_page"],
    )


@endpoint("/documents/<path:article_id>", response=schemas.DocumentSchema, path_params=ARTICLE_ID, errors=(404, 503))
def document(engine, args, article_id):
    """One article: its text, paragraph by paragraph with their languages, and its metadata."""
    found = engine.document(article_id)
    if found is None:
        raise _unknown_article(article_id)
    return found


@endpoint(
    "/documents/<path:article_id>/similar",
    response=schemas.SimilarResponseSchema,
    args="similar",
    path_params=ARTICLE_ID,
    errors=(400, 404, 503),
    links=FIRST_RESULT_LINKS,
)
def similar(engine, args, article_id):
    """Articles similar to one article, in any language."""
    found = engine.similar(article_id, limit=args["limit"])
    if found is None:
        raise _unknown_article(article_id)
    return {"id": article_id, "results": found}


@endpoint("/suggest", response=schemas.SuggestResponseSchema, args="suggest", errors=(400, 503))
def suggest(engine, args):
    """Completions for a search box.

    Headlines that contain what has been typed, and words of the index that start with the last word
    typed (accents optional).
    """
    return {"query": args["q"], "suggestions": engine.suggest(args["q"], limit=args["limit"])}


@endpoint("/stats", response=schemas.StatsResponseSchema, errors=(503,))
def stats(engine, args):
    """What the live index holds: articles and paragraphs per language, sources, and when it was built."""
    return {**engine.stats(), "version": engine.version}


@endpoint("/health", response=schemas.HealthResponseSchema, cache=NO_STORE, errors=(503,), uses_index=False)
def health(engine, args):
    """Whether the server can search: 200 when the live index opens, 503 when it does not."""
    try:
        engine.refresh()
        return {"status": "ok", "version": engine.version, "articles": engine.stats()["articles"]}
    except NoIndexError:
        raise
    except Exception:
        log.exception("health check: the search index cannot be opened")
        raise ApiError(503, INDEX_UNAVAILABLE_MESSAGE) from None


@endpoint("/openapi.json", cache=CONTENT, uses_index=False)
def openapi(engine, args):
    """This API described in OpenAPI 3.1, generated from the schemas that validate requests and serialize responses."""
    return Response(api_state().openapi_json, mimetype="application/json")


@endpoint("/docs", media_type="text/html", cache=CONTENT, uses_index=False)
def docs(engine, args):
    """This API's documentation as a web page: every endpoint, parameter and response."""
    page = render_docs(api_state().spec, request.host_url)
    frame_ancestors = api_state().settings["FRAME_ANCESTORS"]
    # A static page: no script at all, only its own inline stylesheet.
    policy = html_policy(frame_ancestors, style_src=inline_style_hashes(page) or "'none'")
    return add_page_headers(Response(page, mimetype="text/html"), policy, frame_ancestors)


@blueprint.route("", methods=["GET"])
def to_docs():
    """Redirect to the docs page (without the HTML body Flask's redirect has)."""
    return Response(status=302, headers={"Location": url_for("api.docs")})


def _unknown_article(article_id):
    return ApiError(404, f"No article with id {article_id!r}: ids are as in search results.")
