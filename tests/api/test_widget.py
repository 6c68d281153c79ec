"""The search box's script and the demo page as HTTP resources: types,
caching, CORS and security headers; the widget's behaviour is tested in a
real browser in test_widget_browser.py."""

import gzip
import re

import pytest

from api.widget import STATIC
from tests.api.conftest import make_client

WIDGET = (STATIC / "widget.js").read_text(encoding="utf-8")
#: What the README promises about the script's size, with room to grow.
GZIP_BUDGET_BYTES = 12_000


def test_widget_script_is_javascript_for_every_origin(client):
    response = client.get("/widget.js", headers={"Origin": "https://news.example"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/javascript; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data(as_text=True) == WIDGET


def test_widget_script_is_for_every_origin_whatever_the_api_allows(demo_index):
    client = make_client(demo_index, CORS_ORIGINS="https://a.example")
    response = client.get("/widget.js", headers={"Origin": "https://b.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", ["/widget.js", "/demo.css", "/favicon.svg", "/"])
def test_widget_files_and_demo_page_revalidate_with_304(client, url):
    response = client.get(url)
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")


def test_demo_page_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    policy = dict(directive.split(" ", 1) for directive in response.headers["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_demo_page_shows_the_box_the_snippet_and_the_docs(client):
    page = client.get("/", base_url="https://search.example").get_data(as_text=True)
    assert '<script src="/widget.js" async></script>' in page
    assert "<div data-news-search></div>" in page
    # The snippet, escaped, with this server's address.
    assert "&lt;div data-news-search data-endpoint=&#34;https://search.example&#34;&gt;&lt;/div&gt;" in page
    assert "&lt;script src=&#34;https://search.example/widget.js&#34; async&gt;&lt;/script&gt;" in page
    assert 'href="/api/docs"' in page
    # Nothing inline that the page's own policy would block.
    assert not re.search(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=", page)


def test_widget_and_demo_page_are_not_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert all(path.startswith("/api/") for path in paths)


def test_widget_files_are_read_only(client):
    assert client.post("/widget.js").status_code == 405


def test_no_static_route_besides_the_widgets_own(client):
    assert client.get("/static/widget.js").status_code == 404


@pytest.mark.parametrize(
    "sink",
    ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", ".style.",
     'setAttribute("style"', "setAttribute(\"on", "javascript:"],
)
def test_widget_script_uses_no_html_or_code_sinks(sink):
    """Article text reaches the page as text only, and nothing needs unsafe-inline or unsafe-eval."""
    code = re.sub(r"/\*.*?\*/|^\s*//.*$", "", WIDGET, flags=re.S | re.M)
    assert sink not in code


def test_widget_script_is_small():
    assert len(gzip.compress(WIDGET.encode("utf-8"), 9)) < GZIP_BUDGET_BYTES
