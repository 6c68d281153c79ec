"""Fixtures for the API tests: apps over the real demo index (the session's
``demo_index``) or over a directory with no index yet."""

import pytest

from api import create_app
from api.config import SETTINGS


def make_client(index_dir, **settings):
    """A test client of an app with the default settings but ``settings``,
    whatever the environment says."""
    defaults = {key: default for key, (kind, default) in SETTINGS.items()}
    app = create_app({**defaults, "SEARCH_INDEX_DIR": str(index_dir), **settings})
    return app.test_client()


@pytest.fixture(scope="session")
def client(demo_index):
    """A test client with the default settings over the demo index."""
    return make_client(demo_index)


@pytest.fixture
def no_index_client(tmp_path):
    return make_client(tmp_path / "index")


def error_of(response, status):
    """The ``error`` object of a JSON error response, checking its status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["message"]
    return error


def field_errors(response):
    """``{parameter: [message]}`` of a 400 response."""
    return error_of(response, 400)["fields"]
