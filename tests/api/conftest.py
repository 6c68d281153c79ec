"""Fixtures for the API tests: apps over the real demo index (the session's
``demo_index``) or over a directory with no index yet, and the API served by
a real gunicorn (``serving``)."""

import http.client
import json
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from api import create_app
from api.config import SETTINGS
from tests.conftest import REPO


#: What tests change from the defaults unless they say otherwise: the many
#: requests of a test module all come from one address, so no rate limit.
TEST_SETTINGS = {"RATE_LIMIT": 0}


def make_client(index_dir, **settings):
    """A test client of an app with the default settings (but TEST_SETTINGS)
    but ``settings``, whatever the environment says."""
    defaults = {key: default for key, (kind, default) in SETTINGS.items()}
    app = create_app({**defaults, **TEST_SETTINGS, "SEARCH_INDEX_DIR": str(index_dir), **settings})
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


# -- the API served by gunicorn ----------------------------------------------

STARTUP_SECONDS = 60


class Server:
    """A gunicorn serving ``wsgi:app`` on a port the kernel picks (port 0, so
    no race for a free port); its output goes to a file, not a pipe, so
    nothing blocks and nothing is left open."""

    def __init__(self, index_dir, log_path, settings=None):
        self.index_dir = index_dir
        self.log_path = log_path
        settings = {key: str(value) for key, value in {**TEST_SETTINGS, **(settings or {})}.items()}
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0", "--workers", "2"],
            cwd=REPO,
            # The API's defaults but for the index and TEST_SETTINGS, whatever this environment sets.
            env={**{k: v for k, v in os.environ.items() if k not in SETTINGS}, **settings, "SEARCH_INDEX_DIR": str(index_dir)},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.port = self._wait_for_port()
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _wait_for_port(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log())
            if found:
                return int(found.group(1))
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.log()}")

    def _wait_until_healthy(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if self.get("/api/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"/api/health never answered 200:\n{self.log()}")

    def get(self, path, headers=None, method="GET"):
        """``(status, headers, body)``; any status, no exception for 4xx/5xx."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def json(self, path):
        status, _, body = self.get(path)
        assert status == 200, (path, status, body)
        return json.loads(body)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        finally:
            self._log.close()


@contextmanager
def serving(index_dir, log_path, settings=None):
    server = Server(index_dir, log_path, settings)
    try:
        yield server
    finally:
        server.stop()
