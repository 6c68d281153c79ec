"""Errors as JSON: every failure, from an invalid parameter to an unknown
route or a bug, is answered with the same body (``ErrorResponseSchema``)::

    {"error": {"status": 400, "message": "...", "fields": {"per_page": ["Must be between 1 and 100."]}}}

never with an HTML page or a traceback.
"""

import logging

from flask import request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from index.store import NoIndexError, StoreError
from search import QueryError

from .endpoints import json_response
from .response_schemas import ErrorResponseSchema

log = logging.getLogger(__name__)

NO_INDEX_MESSAGE = (
    "No search index has been built yet: build one with `python -m index build PATH...` "
    "(the demo articles: `python -m index build data/`); the server picks it up without a restart."
)
INDEX_UNAVAILABLE_MESSAGE = "The search index cannot be opened; the server's log says why."
#: Messages for statuses whose Werkzeug descriptions do not say what to do.
MESSAGES = {
    404: "No such endpoint: {path}. The endpoints are listed at /api/docs.",
    405: "{method} is not allowed: this API is read-only and answers GET, HEAD and OPTIONS only.",
    500: "Internal server error: it has been logged. Try again later.",
}
BODY_MESSAGE = "This API takes no request body: pass the parameters in the query string (it answers GET only)."
RATE_LIMIT_MESSAGE = (
    "Too many requests from your address: at most {limit} per {period} s. Try again in {retry} s "
    "(see Retry-After)."
)


class ApiError(Exception):
    """An error answered with ``status`` and ``message``."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(status, message, field_errors=None, headers=None):
    error = {"status": status, "message": message}
    if field_errors:
        error["field_errors"] = field_errors
    response = json_response(ErrorResponseSchema().dump({"error": error}))
    response.status_code = status
    response.headers.update(headers or {})
    # An error says nothing lasting about the resource: never cache it.
    response.headers["Cache-Control"] = "no-store"
    return response


def flat_messages(messages):
    """marshmallow's messages as ``{parameter: [message, ...]}``: the
    per-item messages of list parameters (``{"lang": {1: [...]}}``) joined."""
    flat = {}
    for name, problems in messages.items():
        if isinstance(problems, dict):
            problems = [m for item in problems.values() for m in (item if isinstance(item, list) else [item])]
        flat[name] = list(dict.fromkeys(problems))
    return flat


def _invalid_parameters(error):
    fields = flat_messages(error.messages)
    names = ", ".join(fields)
    return error_response(400, f"Invalid parameters: {names}. See fields for what to change.", fields)


def _query_error(error):
    return error_response(400, error.message, {error.field: [error.message]})


def _api_error(error):
    return error_response(error.status, error.message, headers=error.headers)


def _no_index(error):
    return error_response(503, NO_INDEX_MESSAGE)


def _index_unavailable(error):
    # The message names server paths: log it, do not send it.
    log.error("the search index cannot be opened: %s", error)
    return error_response(503, INDEX_UNAVAILABLE_MESSAGE)


def _http_error(error):
    template = MESSAGES.get(error.code)
    message = template.format(path=request.path, method=request.method) if template else error.description
    # get_response() carries the status's own headers, such as Allow for 405.
    headers = {k: v for k, v in error.get_response().headers.items() if k not in ("Content-Type", "Content-Length")}
    return error_response(error.code, message, headers=headers)


def _unexpected(error):
    log.exception("unexpected error in %s %s", request.method, request.full_path)
    return error_response(500, MESSAGES[500])


def register_error_handlers(app):
    app.register_error_handler(ValidationError, _invalid_parameters)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(NoIndexError, _no_index)
    app.register_error_handler(StoreError, _index_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
