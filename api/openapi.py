"""The OpenAPI 3.1 document, generated with apispec from the endpoint
registry and the same marshmallow schemas that validate requests and dump
responses."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from .caching import RESPONSE_FORMAT
from .endpoints import CONTENT, INDEX
from .response_schemas import ErrorResponseSchema

OPENAPI_VERSION = "3.1.0"
TITLE = "Multilingual news search API"
DESCRIPTION = (
    "Search news written in Greek, German, Hungarian and Russian, side by side. Read-only: every endpoint "
    "answers GET, HEAD and OPTIONS. Errors are JSON: {\"error\": {\"status\": 400, \"message\": \"…\", "
    "\"fields\": {\"per_page\": [\"Must be between 1 and 100.\"]}}}. Responses from the index carry a weak ETag "
    "(the index version and the URL) and may be revalidated with If-None-Match."
)

ERROR_DESCRIPTIONS = {
    400: "Invalid parameters: error.fields names each one and what to change.",
    404: "No article with this id.",
    429: "Too many requests from this client (RATE_LIMIT per RATE_LIMIT_PERIOD); Retry-After says when to try again.",
    500: "Unexpected server error (logged).",
    503: "No index has been built yet, or it cannot be opened.",
}

#: What gunicorn answers itself, before the app (gunicorn.conf.py's limit_request_line): an HTML page, not JSON.
URI_TOO_LONG = {
    "description": "Request line over 8,190 bytes: refused by the server before the API, as a short HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}

CACHE_HEADERS = {
    "ETag": {"description": "Weak entity tag; send it back in If-None-Match.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=CACHE_MAX_AGE", "schema": {"type": "string"}},
}


def openapi_path(rule):
    """``/documents/<path:article_id>`` -> ``/documents/{article_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def build_spec(endpoints, args_schemas):
    spec = APISpec(
        title=TITLE,
        version=RESPONSE_FORMAT,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION},
    )
    for declared in endpoints:
        spec.path(path=openapi_path(declared.path), operations={"get": _operation(declared, args_schemas)})
    document = spec.to_dict()
    for operations in document["paths"].values():
        for parameter in operations["get"]["parameters"]:
            if parameter["in"] == "query" and not parameter.get("required") and parameter["schema"].get("type") != "array":
                # An optional parameter given empty (date_from=, as HTML forms send) counts as not given.
                # Said only of single-valued ones: OpenAPI 3.1 advises against allowEmptyValue, and on an
                # array (lang, source) Schemathesis reads it as an alternative schema whose negation it
                # then reports for values the array admits (source=6.3e+16: a string on the wire).
                parameter["allowEmptyValue"] = True
    return document


def _operation(declared, args_schemas):
    parameters = [
        {"in": "path", "name": name, "required": True, "description": description, "schema": {"type": "string"},
         "example": example}
        for name, (description, example) in declared.path_params.items()
    ]
    if args_schemas[declared.args].fields:
        parameters.append({"in": "query", "schema": args_schemas[declared.args]})
    operation = {
        "operationId": declared.name,
        "summary": declared.summary,
        "parameters": parameters,
        "responses": {"200": _success(declared)},
    }
    if declared.description:
        operation["description"] = declared.description
    if declared.cache in (INDEX, CONTENT):
        operation["responses"]["304"] = {"description": "Not modified: the ETag in If-None-Match still matches."}
    for status in (*declared.errors, *((429,) if declared.rate_limited else ()), 500):
        operation["responses"][str(status)] = {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": ErrorResponseSchema}},
        }
    operation["responses"]["414"] = URI_TOO_LONG
    return operation


def _success(declared):
    # Endpoints without a response schema send an OpenAPI document or a page.
    content = {"schema": declared.response or {"type": "object" if "json" in declared.media_type else "string"}}
    success = {"description": "OK", "content": {declared.media_type: content}}
    if declared.cache in (INDEX, CONTENT):
        success["headers"] = CACHE_HEADERS
    if declared.links:
        success["links"] = {
            name: {"operationId": operation_id, "parameters": parameters}
            for name, (operation_id, parameters) in declared.links.items()
        }
    return success
