"""End to end: the API served by a real gunicorn with two workers, over real
HTTP on 127.0.0.1, including a rebuild of the index while it serves."""

import json
import subprocess
import sys
import time

import pytest

from index.writer import build
from tests.api.conftest import serving
from tests.conftest import DATA, REPO, seed

#: Bounds of the query loop that runs while the index is rebuilt.
REBUILD_SECONDS = 180


@pytest.fixture(scope="module")
def server(demo_index, tmp_path_factory):
    with serving(demo_index, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as running:
        yield running


def test_search_over_http(server):
    status, headers, body = server.get("/api/search?q=%CE%9A%CE%BF%CF%81%CE%AD%CE%B1", {"Origin": "https://news.example"})
    assert status == 200
    result = json.loads(body)
    assert result["total"] == 5 and len(result["results"]) == 5  # Κορέα: three Greek articles, Észak-Korea, Nordkorea
    assert result["took_ms"] > 0
    assert headers["Content-Type"] == "application/json"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Cache-Control"] == "public, max-age=60"
    status, _, body = server.get("/api/search?q=%CE%9A%CE%BF%CF%81%CE%AD%CE%B1", {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")


def test_each_worker_warms_up_before_its_first_request(server):
    # The server is up when one worker answers; the other may still be warming up.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        warmed = [line for line in server.log().splitlines() if "index opened and warmed up in" in line]
        if len(warmed) == 2:
            break
        time.sleep(0.1)
    assert len(warmed) == 2, server.log()


def test_errors_over_http_are_json(server):
    status, headers, body = server.get("/api/search?q=x&per_page=101")
    assert status == 400 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["fields"] == {"per_page": ["Must be between 1 and 100."]}
    status, headers, body = server.get("/api/search?q=x", method="DELETE")
    assert status == 405 and json.loads(body)["error"]["status"] == 405


def test_preflight_over_http(server):
    status, headers, _ = server.get(
        "/api/search", {"Origin": "https://news.example", "Access-Control-Request-Method": "GET"}, method="OPTIONS"
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_docs_over_http(server):
    status, headers, body = server.get("/api/docs")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"/api/search" in body


@pytest.mark.slow
def test_a_rebuild_while_serving_fails_no_request_and_is_served_after(tmp_path):
    index_dir = tmp_path / "index"
    build([seed("002")], index_dir)  # one German article
    with serving(index_dir, tmp_path / "gunicorn.log") as server:
        assert server.json("/api/stats")["articles"] == 1
        builder = subprocess.Popen(
            [sys.executable, "-m", "index", "build", str(DATA), "--index-dir", str(index_dir), "--quiet"],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        statuses = []
        deadline = time.monotonic() + REBUILD_SECONDS
        try:
            while builder.poll() is None and time.monotonic() < deadline:
                for path in ("/api/search?q=Korea", "/api/stats", "/api/search?q=Pj%C3%B6ngjang&lang=de"):
                    statuses.append((path, server.get(path)[0]))
        finally:
            if builder.poll() is None:
                builder.kill()
            builder.wait()
        assert builder.returncode == 0
        assert statuses, "no request ran during the rebuild"
        failed = [(path, status) for path, status in statuses if status != 200]
        assert not failed, f"{len(failed)} of {len(statuses)} requests failed during the rebuild: {failed[:5]}\n{server.log()}"
        # Each request refreshes its worker: every worker serves the new index.
        for _ in range(6):
            assert server.json("/api/stats")["articles"] == 5
            assert server.json("/api/search?q=%CE%9A%CE%BF%CF%81%CE%AD%CE%B1")["total"] == 5
