"""The endpoint registry and the request pipeline every endpoint shares.

An endpoint is declared once, with ``@endpoint(...)``: its route, its query
parameter schema, its response schema, how it may be cached and which errors
it answers.  The same declaration drives validation, serialization, caching
and the OpenAPI spec (:mod:`api.openapi`), so they cannot disagree.
"""

import inspect
import time
from dataclasses import dataclass, field
from functools import partial

from flask import Blueprint, current_app, request

from .caching import cache_publicly, index_etag, is_fresh, never_cache, not_modified
from .dumping import dumper
from .request_schemas import load_args

blueprint = Blueprint("api", __name__, url_prefix="/api")

#: Every endpoint, in the order the docs list them.
ENDPOINTS = []

#: Cache policies: the index's version + URL as ETag; a hash of the body as
#: ETag (for what depends on the settings only); never cached.
INDEX, CONTENT, NO_STORE = "index", "content", "no-store"

#: WSGI environ key for when the request reached the app (see RequestTimer).
STARTED = "api.request_started"


@dataclass(frozen=True)
class Endpoint:
    rule: str  # Flask rule under /api
    view: object
    #: Response schema class; None when the view returns a Response itself.
    response: object = None
    media_type: str = "application/json"
    #: Key of its query-parameter schema in request_schemas(); "none" takes none.
    args: str = "none"
    path_params: dict = field(default_factory=dict)  # name -> (description, example)
    cache: str = INDEX
    errors: tuple = ()
    #: Whether the view needs the live index (refreshed before it runs).
    uses_index: bool = True
    #: Add took_ms, the time taken until the body was ready, to the body.
    timed: bool = False
    #: OpenAPI links of the 200 response: name -> (operationId, {parameter: runtime expression}).
    links: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.view.__name__

    @property
    def rate_limited(self):
        """The endpoints that do work on the index count against RATE_LIMIT."""
        return self.uses_index

    @property
    def path(self):
        return "/api" + self.rule

    @property
    def summary(self):
        return self._doc_paragraphs()[0]

    @property
    def description(self):
        return " ".join(self._doc_paragraphs()[1:])

    def _doc_paragraphs(self):
        """The view's docstring as paragraphs of one line each: the first is
        the summary, the rest the description."""
        return [" ".join(p.split()) for p in inspect.cleandoc(self.view.__doc__ or "").split("\n\n")]


def endpoint(rule, **options):
    """Declare and route a GET endpoint; the view is called as
    ``view(engine, args, **path_values)`` and returns what ``response`` dumps."""

    def register(view):
        declared = Endpoint(rule, view, **options)
        ENDPOINTS.append(declared)
        # GET routes answer HEAD and OPTIONS too; nothing else (405).
        blueprint.add_url_rule(rule, declared.name, partial(handle, declared), methods=["GET"])
        return view

    return register


def handle(declared, **path_values):
    state = api_state()
    args = load_args(state.args_schemas[declared.args], request.args)
    if declared.uses_index:
        state.engine.refresh()
    max_age = state.settings["CACHE_MAX_AGE"]
    etag = None
    if declared.cache == INDEX:
        etag = index_etag(state.engine.version)
        if is_fresh(etag):
            return not_modified(etag, max_age)
    result = declared.view(state.engine, args, **path_values)
    if declared.response is None:
        response = result
    else:
        response = json_response(dumper(declared.response)(result), timed=declared.timed)
    if declared.cache == NO_STORE:
        return never_cache(response)
    cache_publicly(response, max_age, etag)
    return response.make_conditional(request) if etag is None else response


def json_response(body, timed=False):
    encoded = current_app.json.dumps(body)
    if timed:
        # Measured when the body is complete but for this number, and spliced
        # in, so took_ms covers validation, search, serialization and encoding.
        took_ms = (time.perf_counter() - request.environ[STARTED]) * 1000
        encoded = f'{encoded[:-1]}, "took_ms": {took_ms:.3f}}}'
    return current_app.response_class(encoded + "\n", mimetype="application/json")


class RequestTimer:
    """WSGI middleware noting when a request reached the app, before Flask's
    own work, for an honest took_ms."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        environ[STARTED] = time.perf_counter()
        return self.wsgi_app(environ, start_response)


def api_state():
    return current_app.extensions["news_api"]
