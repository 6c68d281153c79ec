"""GET /api/suggest, /api/stats and /api/health, with and without an index."""

import pytest

from tests.api.conftest import error_of, field_errors, make_client


def test_suggest(client):
    response = client.get("/api/suggest", query_string={"q": "Κορ", "limit": 3})
    assert response.status_code == 200
    body = response.get_json()
    assert body["query"] == "Κορ"
    assert 1 <= len(body["suggestions"]) <= 3
    assert all(set(s) == {"text", "kind"} and s["kind"] in ("title", "word") for s in body["suggestions"])


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": "Κορ", "limit": 0}, "limit"), ({"q": "Κορ", "limit": 21}, "limit"), ({"q": "x" * 501}, "q")],
)
def test_suggest_parameters_are_validated(client, params, field):
    assert list(field_errors(client.get("/api/suggest", query_string=params))) == [field]


def test_stats(client):
    response = client.get("/api/stats")
    assert response.status_code == 200
    stats = response.get_json()
    assert stats["articles"] == 5
    assert stats["languages"] == {"el": 3, "de": 1, "hu": 1}
    assert stats["paragraph_languages"]["ru"] == 3
    assert stats["generation"].startswith("gen-") and stats["version"].startswith(stats["generation"])
    # The server's directories are not shown to the world.
    assert "index_dir" not in stats


def test_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    health = response.get_json()
    assert health["status"] == "ok" and health["articles"] == 5 and health["version"]


@pytest.mark.parametrize(
    "url",
    ["/api/health", "/api/search?q=Korea", "/api/stats", "/api/suggest?q=Kor", "/api/documents/x", "/api/documents/x/similar"],
)
def test_without_an_index_every_index_endpoint_is_503_saying_how_to_build_one(no_index_client, url):
    error = error_of(no_index_client.get(url), 503)
    assert "python -m index build" in error["message"]


def test_without_an_index_the_docs_are_served(no_index_client):
    assert no_index_client.get("/api/docs").status_code == 200
    assert no_index_client.get("/api/openapi.json").status_code == 200


def test_health_is_503_when_the_index_is_broken(tmp_path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "CURRENT").write_text("gen-missing\n")
    error = error_of(make_client(index_dir).get("/api/health"), 503)
    # Without the server's paths.
    assert str(tmp_path) not in error["message"]
