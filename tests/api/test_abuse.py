"""Abuse limits: per-client rate limiting, no request bodies, and the security
headers of the HTML pages."""

import json
import time

import pytest

from api.abuse import MAX_CLIENTS, RateLimiter, inline_style_hashes
from api.config import SETTINGS
from tests.api.conftest import error_of, make_client, serving

LIMITED = ["/api/search?q=Korea", "/api/suggest?q=Kor", "/api/stats", "/api/documents/000_501efcaeca65557f"]
UNLIMITED = ["/api/health", "/api/docs", "/api/openapi.json", "/widget.js", "/"]


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_token_bucket_allows_a_burst_then_refills_evenly():
    clock = FakeClock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.take("a") == pytest.approx(20.0)  # one request back every 20 s
    assert limiter.take("b") == 0  # per client
    clock.now += 20
    assert limiter.take("a") == 0
    assert limiter.take("a") > 0


def test_the_limiter_forgets_the_clients_seen_longest_ago():
    limiter = RateLimiter(1, 60, clock=FakeClock())
    clients = [f"crawler-{number}" for number in range(3 * MAX_CLIENTS)]
    for client in clients:
        assert limiter.take(client) == 0
    assert len(limiter) <= MAX_CLIENTS  # memory stays bounded under a flood of addresses
    assert limiter.take(clients[-1]) > 0  # the latest is remembered: its allowance is spent
    assert limiter.take(clients[0]) == 0  # the first was forgotten


def test_a_client_over_the_limit_gets_429_with_retry_after(demo_index):
    client = make_client(demo_index, RATE_LIMIT=3, RATE_LIMIT_PERIOD=60)
    started = time.monotonic()
    for url in LIMITED[:3]:
        assert client.get(url).status_code == 200
    response = client.get(LIMITED[3])
    elapsed = time.monotonic() - started
    error = error_of(response, 429)
    # One request comes back every 20 s; what the three took (seconds on a loaded machine) has refilled part of it.
    wait = int(response.headers["Retry-After"])
    assert 20 - elapsed <= wait <= 20
    assert "at most 3 per 60 s" in error["message"] and f"{wait} s" in error["message"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # a search box on another site can read why
    # Another address has its own allowance.
    assert client.get(LIMITED[0], environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200


def test_what_does_not_read_the_index_is_not_limited(demo_index):
    client = make_client(demo_index, RATE_LIMIT=1)
    assert client.get("/api/stats").status_code == 200
    assert client.get("/api/stats").status_code == 429
    for url in UNLIMITED:
        assert client.get(url).status_code == 200, url
    preflight = {"Origin": "https://news.example", "Access-Control-Request-Method": "GET"}
    assert client.options("/api/search", headers=preflight).status_code == 204


def test_forwarded_for_counts_only_behind_trusted_proxies(demo_index):
    spoofing = make_client(demo_index, RATE_LIMIT=1)
    assert spoofing.get("/api/stats", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    # Without TRUSTED_PROXIES a client cannot escape its limit by inventing addresses.
    assert spoofing.get("/api/stats", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 429

    proxied = make_client(demo_index, RATE_LIMIT=1, TRUSTED_PROXIES=1)
    assert proxied.get("/api/stats", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert proxied.get("/api/stats", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    assert proxied.get("/api/stats", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    # With one trusted proxy, only the address it added counts, not what the client put before it.
    assert proxied.get("/api/stats", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}).status_code == 429


def test_the_limit_is_on_by_default(demo_index):
    limit = SETTINGS["RATE_LIMIT"][1]
    assert limit > 0
    # (over an hour, so that no request comes back while the test runs)
    client = make_client(demo_index, RATE_LIMIT=limit, RATE_LIMIT_PERIOD=3600)
    statuses = [client.get("/api/stats").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[limit] == 429


def test_the_limit_is_documented_in_openapi(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "429" in spec["paths"]["/api/search"]["get"]["responses"]
    assert "429" not in spec["paths"]["/api/health"]["get"]["responses"]


# -- request size -------------------------------------------------------------


def test_a_request_body_is_refused(client):
    response = client.get("/api/search?q=Korea", data=b"x" * 10_000)
    assert "no request body" in error_of(response, 413)["message"]
    chunked = client.get("/api/stats", headers={"Transfer-Encoding": "chunked"}, input_stream=None, data=b"abc")
    assert chunked.status_code == 413


def test_other_methods_are_405_even_with_a_body(client):
    error_of(client.post("/api/search", data=b"q=Korea"), 405)


# -- security headers of HTML pages -------------------------------------------


def policy_of(response):
    return dict(directive.split(" ", 1) for directive in response.headers["Content-Security-Policy"].split("; "))


@pytest.mark.parametrize("path", ["/", "/api/docs"])
def test_html_pages_are_locked_down(client, path):
    response = client.get(path)
    assert response.mimetype == "text/html"
    policy = policy_of(response)
    assert policy["default-src"] == "'none'"
    assert "script-src" not in policy or policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_docs_page_allows_its_own_stylesheet_only(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert policy_of(response)["style-src"] == inline_style_hashes(page)
    assert policy_of(response)["style-src"].startswith("'sha256-")
    assert "script-src" not in policy_of(response)  # no script at all (default-src 'none')


def test_framing_can_be_allowed(demo_index):
    client = make_client(demo_index, FRAME_ANCESTORS="'self' https://news.example")
    response = client.get("/")
    assert policy_of(response)["frame-ancestors"] == "'self' https://news.example"
    assert "X-Frame-Options" not in response.headers


def test_the_api_has_no_write_endpoint(client):
    spec = client.get("/api/openapi.json").get_json()
    assert {method for operations in spec["paths"].values() for method in operations} == {"get"}
    for rule in client.application.url_map.iter_rules():
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


@pytest.mark.slow
def test_rate_limit_over_http_per_worker(demo_index, tmp_path):
    # Each of gunicorn's two workers counts on its own: at most twice the limit gets through.
    with serving(demo_index, tmp_path / "gunicorn.log", {"RATE_LIMIT": 5, "RATE_LIMIT_PERIOD": 3600}) as server:
        answers = [server.get("/api/search?q=Korea") for _ in range(30)]
        statuses = [status for status, _, _ in answers]
        assert 5 <= statuses.count(200) <= 10, statuses
        refused = [(headers, body) for status, headers, body in answers if status == 429]
        assert len(refused) == 30 - statuses.count(200)
        for headers, body in refused:
            assert headers["Content-Type"] == "application/json"
            assert int(headers["Retry-After"]) > 600
            assert json.loads(body)["error"]["status"] == 429
        assert server.get("/api/health")[0] == 200
