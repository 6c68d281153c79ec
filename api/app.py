"""The Flask application factory."""

import json
from dataclasses import dataclass

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from search import SearchEngine

from . import routes, widget  # noqa: F401  (importing routes declares the endpoints)
from .abuse import RateLimiter, has_body, retry_after
from .config import ConfigError, cors_origins, limits, load_settings
from .cors import add_cors_headers
from .endpoints import ENDPOINTS, RequestTimer, blueprint
from .errors import BODY_MESSAGE, RATE_LIMIT_MESSAGE, ApiError, register_error_handlers
from .openapi import build_spec
from .request_schemas import request_schemas


@dataclass(frozen=True)
class ApiState:
    """What the endpoints share, per app."""

    settings: dict
    engine: SearchEngine
    args_schemas: dict
    spec: dict
    openapi_json: str


def _no_sniffing(response):
    """Browsers must take every answer (JSON, the script, the pages) as the
    type it is sent as, never guess HTML from article text inside JSON."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _guard(settings):
    """Refuse, before any work, a request with a body (413) and a client over
    its rate limit on the endpoints that search the index (429)."""
    limiter = RateLimiter(settings["RATE_LIMIT"], settings["RATE_LIMIT_PERIOD"]) if settings["RATE_LIMIT"] else None
    limited = {f"{blueprint.name}.{declared.name}" for declared in ENDPOINTS if declared.rate_limited}

    def guard():
        if request.routing_exception is not None:
            return  # 404 and 405 as usual
        if has_body():
            raise ApiError(413, BODY_MESSAGE)
        if limiter is None or request.endpoint not in limited or request.method == "OPTIONS":
            return
        wait = limiter.take(request.remote_addr)
        if wait:
            retry = retry_after(wait)
            message = RATE_LIMIT_MESSAGE.format(limit=settings["RATE_LIMIT"], period=settings["RATE_LIMIT_PERIOD"], retry=retry)
            raise ApiError(429, message, headers={"Retry-After": retry})

    return guard


def create_app(config=None):
    """The API as a WSGI app.  ``config`` overrides the settings of
    :mod:`api.config` and the environment variables of the same names."""
    config = config or {}
    settings = load_settings(config)
    # No automatic /static route: the widget's files are served with their own headers (api/widget.py).
    app = Flask(__name__, static_folder=None)
    # Flask's own settings (TESTING…) pass through; a misspelt one is not ignored.
    unknown = set(config) - set(settings) - set(app.config)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}; the settings are {', '.join(settings)}")
    app.config.update(config)
    app.config.update(settings)
    # Readable UTF-8 (Greek, Cyrillic) in schema order, rather than \\u escapes in sorted order.
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    args_schemas = request_schemas(limits(settings))
    spec = build_spec(ENDPOINTS, args_schemas)
    app.extensions["news_api"] = ApiState(
        settings=settings,
        # Opens the index lazily: the app starts (and says why it cannot
        # search, with 503) even before an index is built.
        engine=SearchEngine(
            settings["SEARCH_INDEX_DIR"],
            max_per_page=settings["MAX_PER_PAGE"],
            max_depth=settings["MAX_RESULT_DEPTH"],
            time_limit=settings["SEARCH_TIME_LIMIT_MS"] / 1000 or None,
        ),
        args_schemas=args_schemas,
        spec=spec,
        openapi_json=json.dumps(spec, ensure_ascii=False, indent=2),
    )
    app.register_blueprint(blueprint)
    app.register_blueprint(widget.blueprint)
    register_error_handlers(app)
    app.before_request(_guard(settings))
    origins = cors_origins(settings["CORS_ORIGINS"])
    app.after_request(lambda response: add_cors_headers(response, origins))
    app.after_request(_no_sniffing)
    app.wsgi_app = RequestTimer(app.wsgi_app)
    if settings["TRUSTED_PROXIES"]:
        # The client is the address the outermost trusted proxy saw, not what a client puts in X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings["TRUSTED_PROXIES"], x_proto=0, x_host=0, x_port=0, x_prefix=0)
    return app
