"""HTTP behaviour shared by all endpoints: CORS, caching, methods, and
errors as JSON."""

import pytest

from tests.api.conftest import error_of, make_client

READ_ENDPOINTS = [
    "/api/search?q=Korea",
    "/api/documents/000_501efcaeca65557f",
    "/api/documents/000_501efcaeca65557f/similar",
    "/api/suggest?q=Kor",
    "/api/stats",
    "/api/openapi.json",
    "/api/docs",
]
PREFLIGHT = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "If-None-Match"}


# -- CORS ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [*READ_ENDPOINTS, "/api/health", "/api/nowhere"])
def test_any_origin_may_read_by_default(client, url):
    response = client.get(url, headers={"Origin": "https://news.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert {"ETag", "Retry-After"} <= set(response.headers["Access-Control-Expose-Headers"].split(", "))
    assert "Origin" not in response.headers.get("Vary", "")


def test_preflight(client):
    response = client.options("/api/search", headers={"Origin": "https://news.example", **PREFLIGHT})
    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_configured_origins_only(demo_index):
    client = make_client(demo_index, CORS_ORIGINS="https://a.example, https://b.example/")
    allowed = client.get("/api/stats", headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.get("/api/stats", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 200
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Origin" in refused.headers["Vary"]
    preflight = client.options("/api/search", headers={"Origin": "https://a.example", **PREFLIGHT})
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://a.example"
    refused_preflight = client.options("/api/search", headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert "Access-Control-Allow-Methods" not in refused_preflight.headers


# -- caching ------------------------------------------------------------------


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_read_endpoints_are_cacheable_and_revalidate_with_304(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    etag = response.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=60"


def test_etag_depends_on_the_url(client):
    first = client.get("/api/search?q=Korea").headers["ETag"]
    assert client.get("/api/search?q=Korea&page=2").headers["ETag"] != first
    assert client.get("/api/search?q=Korea", headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_etag_changes_when_the_index_changes(tmp_path):
    from index.writer import build
    from tests.conftest import seed

    index_dir = tmp_path / "index"
    build([seed("002")], index_dir)
    client = make_client(index_dir)
    etag = client.get("/api/stats").headers["ETag"]
    build([seed("002"), seed("004")], index_dir)
    response = client.get("/api/stats", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.get_json()["articles"] == 2
    assert response.headers["ETag"] != etag


def test_cache_max_age_setting(demo_index):
    client = make_client(demo_index, CACHE_MAX_AGE=5)
    assert client.get("/api/stats").headers["Cache-Control"] == "public, max-age=5"


def test_errors_are_not_cached(client):
    response = client.get("/api/search?per_page=0")
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_head(client):
    get, head = client.get("/api/stats"), client.head("/api/stats")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]


# -- methods, routes, failures ------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, method):
    response = getattr(client, method)("/api/search?q=Korea")
    error = error_of(response, 405)
    assert "read-only" in error["message"]
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_unknown_route_is_a_json_404(client):
    error = error_of(client.get("/api/nowhere"), 404)
    assert "/api/docs" in error["message"]
    error_of(client.get("/nowhere"), 404)


def test_api_redirects_to_the_docs(client):
    # "/" is the search box's demo page (tests/api/test_widget.py).
    response = client.get("/api")
    assert response.status_code == 302
    assert response.headers["Location"] == "/api/docs"


def test_an_unexpected_error_is_a_json_500_without_traceback(demo_index, monkeypatch, caplog):
    client = make_client(demo_index)
    engine = client.application.extensions["news_api"].engine

    def fail(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(engine, "search", fail)
    response = client.get("/api/search?q=Korea")
    error = error_of(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "logged" in error["message"]
    assert "secret internals" in caplog.text


def test_malformed_query_string_bytes_do_not_break_validation(client):
    # Invalid percent-encoding is decoded with replacement characters.
    assert client.get("/api/search?q=%FF%FE&lang=%FF").status_code == 400


@pytest.mark.parametrize("path", ["/api/search?q=Korea", "/api/nothing", "/api/docs", "/api/openapi.json"])
def test_no_content_type_sniffing_anywhere(client, path):
    # Article text inside JSON must never be taken for HTML by a browser.
    assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"
