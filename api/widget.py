"""The embeddable search box (``/widget.js``) and the demo page (``/``) that
shows it and the snippet to paste.

Not part of the JSON API: they are not declared in :mod:`api.endpoints` and
are not in openapi.json.  Both are static but for the demo page's address, so
they are cached with ETags from their content.
"""

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request, url_for

from .abuse import add_page_headers, html_policy
from .caching import cache_publicly
from .endpoints import api_state

blueprint = Blueprint("widget", __name__)

STATIC = Path(__file__).parent / "static"
#: Seconds browsers may keep the script and stylesheet before revalidating
#: them; short, so that a new version reaches every embedding site the same day.
ASSET_MAX_AGE = 3600
#: The demo page's own policy: nothing inline, nothing from elsewhere, no DOM
#: sinks that take HTML strings (Trusted Types); framed only where
#: FRAME_ANCESTORS allows (by default nowhere).
DEMO_PAGE_SOURCES = {
    "script_src": "'self'",
    "connect_src": "'self'",
    "style_src": "'self'",
    "img_src": "'self'",
    "require_trusted_types_for": "'script'",
    "trusted_types": "'none'",
}


@lru_cache(maxsize=None)
def _read(name):
    return (STATIC / name).read_bytes()


def _asset(name, content_type):
    response = Response(_read(name), content_type=content_type)
    return cache_publicly(response, ASSET_MAX_AGE).make_conditional(request)


@blueprint.route("/widget.js")
def widget_js():
    response = _asset("widget.js", "application/javascript; charset=utf-8")
    # Loaded by pages on any site, also with <script crossorigin> (which needs CORS),
    # whatever CORS_ORIGINS allows for the API's answers.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.route("/demo.css")
def demo_css():
    return _asset("demo.css", "text/css; charset=utf-8")


@blueprint.route("/favicon.svg")
def favicon():
    return _asset("favicon.svg", "image/svg+xml")


@blueprint.route("/")
def demo_page():
    """A search box over the served index, the snippet that embeds it, and a link to the docs."""
    endpoint = request.url_root.rstrip("/")
    snippet = (
        f'<div data-news-search data-endpoint="{endpoint}"></div>\n'
        f'<script src="{endpoint}{url_for("widget.widget_js")}" async></script>'
    )
    response = Response(render_template("demo.html", snippet=snippet), mimetype="text/html")
    frame_ancestors = api_state().settings["FRAME_ANCESTORS"]
    add_page_headers(response, html_policy(frame_ancestors, **DEMO_PAGE_SOURCES), frame_ancestors)
    # The page names its own address: revalidated every time, cheaply (ETag).
    return cache_publicly(response, 0).make_conditional(request)

