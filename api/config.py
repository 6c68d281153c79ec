"""Settings of the REST API: defaults, overridden by environment variables of
the same names, overridden by the ``config`` given to ``create_app``.

Every key is documented in the README's "REST API" section (a test checks).
"""

import os
from dataclasses import dataclass

from index.store import DEFAULT_INDEX_DIR

#: key -> (type, default); read when an app is created, not at import.
SETTINGS = {
    "SEARCH_INDEX_DIR": (str, DEFAULT_INDEX_DIR),
    "CORS_ORIGINS": (str, "*"),
    "MAX_QUERY_LENGTH": (int, 500),
    "MAX_PER_PAGE": (int, 100),
    "MAX_RESULT_DEPTH": (int, 1000),
    "CACHE_MAX_AGE": (int, 60),
    "SEARCH_TIME_LIMIT_MS": (int, 5000),
    "RATE_LIMIT": (int, 300),
    "RATE_LIMIT_PERIOD": (int, 60),
    "TRUSTED_PROXIES": (int, 0),
    "FRAME_ANCESTORS": (str, "'none'"),
}

#: Settings for which 0 means "none" or "off" rather than "nothing allowed".
MAY_BE_ZERO = {"CACHE_MAX_AGE", "SEARCH_TIME_LIMIT_MS", "RATE_LIMIT", "TRUSTED_PROXIES"}


class ConfigError(ValueError):
    """A setting with a value the API cannot use; raised when the app is created."""


@dataclass(frozen=True)
class Limits:
    """The request limits that validation enforces and the docs state."""

    max_query_length: int
    max_per_page: int
    max_result_depth: int
    #: Not configurable: a search box shows a handful of suggestions.
    max_suggestions: int = 20


def load_settings(overrides=None, environ=None):
    """The settings as a dict of typed values."""
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    settings = {}
    for key, (kind, default) in SETTINGS.items():
        if key in overrides:
            value = overrides[key]
        elif environ.get(key):
            value = environ[key]
        else:
            value = default
        settings[key] = _typed(key, kind, value)
    if settings["MAX_PER_PAGE"] > settings["MAX_RESULT_DEPTH"]:
        raise ConfigError("MAX_PER_PAGE may not exceed MAX_RESULT_DEPTH")
    return settings


def _typed(key, kind, value):
    if kind is int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a whole number, not {value!r}") from None
        # CACHE_MAX_AGE 0 revalidates every time, RATE_LIMIT 0 is no limit, …;
        # the other limits must allow something.
        if number < (0 if key in MAY_BE_ZERO else 1):
            raise ConfigError(f"{key} is too small: {number}")
        return number
    return str(value)


def cors_origins(setting):
    """``CORS_ORIGINS`` as ``"*"`` or a set of origins (empty: no other origin)."""
    origins = frozenset(origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip())
    return "*" if "*" in origins else origins


def limits(settings):
    return Limits(
        max_query_length=settings["MAX_QUERY_LENGTH"],
        max_per_page=settings["MAX_PER_PAGE"],
        max_result_depth=settings["MAX_RESULT_DEPTH"],
    )
