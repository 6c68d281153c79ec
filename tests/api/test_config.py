"""Settings: defaults, environment variables, the config given to create_app."""

import pytest

from api import create_app
from api.config import SETTINGS, ConfigError, cors_origins, load_settings


def test_defaults():
    assert load_settings(environ={}) == {
        "SEARCH_INDEX_DIR": "var/index",
        "CORS_ORIGINS": "*",
        "MAX_QUERY_LENGTH": 500,
        "MAX_PER_PAGE": 100,
        "MAX_RESULT_DEPTH": 1000,
        "CACHE_MAX_AGE": 60,
        "SEARCH_TIME_LIMIT_MS": 5000,
        "RATE_LIMIT": 300,
        "RATE_LIMIT_PERIOD": 60,
        "TRUSTED_PROXIES": 0,
        "FRAME_ANCESTORS": "'none'",
    }


def test_environment_overrides_defaults_and_config_overrides_environment():
    environ = {"SEARCH_INDEX_DIR": "/srv/index", "MAX_PER_PAGE": "50", "CACHE_MAX_AGE": "0"}
    settings = load_settings({"MAX_PER_PAGE": 20}, environ=environ)
    assert settings["SEARCH_INDEX_DIR"] == "/srv/index"
    assert settings["MAX_PER_PAGE"] == 20
    assert settings["CACHE_MAX_AGE"] == 0


def test_every_setting_can_come_from_the_environment():
    environ = {key: "7" for key in SETTINGS}
    settings = load_settings(environ=environ)
    assert all(str(value) == "7" for value in settings.values())


def test_create_app_reads_the_environment(monkeypatch, demo_index):
    monkeypatch.setenv("SEARCH_INDEX_DIR", str(demo_index))
    monkeypatch.setenv("CACHE_MAX_AGE", "9")
    client = create_app().test_client()
    response = client.get("/api/stats")
    assert response.get_json()["articles"] == 5
    assert response.headers["Cache-Control"] == "public, max-age=9"


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"MAX_PER_PAGE": "many"}, "MAX_PER_PAGE must be a whole number"),
        ({"MAX_QUERY_LENGTH": 0}, "MAX_QUERY_LENGTH is too small"),
        ({"CACHE_MAX_AGE": -1}, "CACHE_MAX_AGE is too small"),
        ({"MAX_PER_PAGE": 200, "MAX_RESULT_DEPTH": 100}, "MAX_PER_PAGE may not exceed MAX_RESULT_DEPTH"),
        ({"MAX_PERPAGE": 20}, "unknown settings: MAX_PERPAGE"),
    ],
)
def test_invalid_settings_stop_the_app_from_starting(settings, words):
    with pytest.raises(ConfigError, match=words):
        create_app(settings)


def test_flask_settings_pass_through(tmp_path):
    assert create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(tmp_path)}).testing


def test_cors_origins():
    assert cors_origins("*") == "*"
    assert cors_origins("") == set()
    assert cors_origins("https://a.example, https://b.example/") == {"https://a.example", "https://b.example"}
