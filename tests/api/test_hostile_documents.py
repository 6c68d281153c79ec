"""Hostile documents: articles with markup, scripts, attribute break-outs,
bidirectional overrides, zero-width characters, and far too much text are
indexed (or refused with a reason) and always come back escaped."""

import html
import json
import re

import pytest

from index.sources import MAX_ARTICLE_BYTES
from index.writer import build
from tests.api.conftest import make_client
from tests.conftest import DATA, run_cli
from tests.corpus import demo_paragraphs

BREAKOUTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg/onload=alert(3)>",
    '" onmouseover="alert(4)" x="',
    "</textarea></title></style><script>alert(5)</script>",
    "<!--<script>alert(6)//-->",
    "<iframe srcdoc='&lt;script&gt;alert(7)&lt;/script&gt;'></iframe>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "&lt;b&gt;already escaped&lt;/b&gt; &amp;amp;",
]
#: Bidirectional overrides and isolates, zero-width characters, a soft hyphen, a BOM.
INVISIBLE = "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\u00ad\ufeff"

HOSTILE_ARTICLES = [
    {
        "id": "markup",
        "lang": "de",
        "title": "Schadcode " + BREAKOUTS[0] + " im Titel " + BREAKOUTS[1],
        "body": "\n\n".join(f"Absatz {n} über Schadcode: {b} und mehr Text." for n, b in enumerate(BREAKOUTS)),
        "source": BREAKOUTS[3],
        "url": "javascript:alert(8)",
    },
    {
        "id": "invisible",
        "lang": "de",
        # "Schadcode" with invisible characters inside and around it, an RTL override reversing what follows
        "title": "\u202eedocdahcS\u202c Unsichtbar" + "\u200b",
        "body": "Der Scha\u200bd\u00adco\u2060de\ufeff ist \u2066unsichtbar\u2069 markiert.\u202e gnirts desrever\n\n"
        "Zweiter Absatz mit \u200fSchadcode\u200e.",
    },
    {
        "id": "everything",
        "lang": "ru",
        "title": "Министр " + INVISIBLE + BREAKOUTS[2],
        "body": "Министр обороны " + INVISIBLE.join("Белоусов") + " " + BREAKOUTS[4]
        + " \U00017000\U00017001 𝕸𝖆𝖙𝖍 ﷽ 👩‍👩‍👧‍👦\x00\x07\x1b[31m",
    },
]

HTML_PAGE = """<!doctype html><html><head><title>Schadcode im HTML</title>
<script>window.__xss = 1</script><style>body { background: url(javascript:alert(1)) }</style></head>
<body onload="alert(2)"><article><h1>Schadcode im HTML</h1>
<p>Ein langer Absatz über den Schadcode, der in einer Seite mit Skripten steht und trotzdem nur als Text
in den Index gelangen darf, ohne dass irgendein Skript ausgeführt wird oder Markup übrig bleibt.</p>
<p onclick="alert(3)">Ein zweiter Absatz nennt <b>fett</b> und <a href="javascript:alert(4)">einen Link</a>
und den Schadcode noch einmal, damit die Seite als Artikel erkannt wird.</p>
<script>alert(5)</script></article></body></html>"""

_MARK = re.compile(r"</?mark>")


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    articles = folder / "hostile.jsonl"
    articles.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in HOSTILE_ARTICLES), encoding="utf-8")
    (folder / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    summary = build([DATA, articles, folder / "page.html"], folder / "index")
    assert summary.skipped == [], summary.skipped
    return folder / "index"


@pytest.fixture(scope="module")
def hostile_client(hostile_index):
    return make_client(hostile_index)


def assert_escaped(marked_html, text):
    """Only <mark> is markup; the rest is the text, escaped."""
    bare = _MARK.sub("", marked_html)
    assert "<" not in bare and ">" not in bare and '"' not in bare and "'" not in bare, marked_html
    assert html.unescape(bare) == text


def test_hostile_articles_are_indexed_and_found(hostile_client):
    result = hostile_client.get("/api/search?q=Schadcode&per_page=20").get_json()
    assert {r["id"] for r in result["results"]} >= {"markup", "invisible", "page"}
    # Zero-width characters and soft hyphens inside a word do not hide it.
    assert hostile_client.get("/api/search?q=Белоусов").get_json()["total"] >= 1
    assert "everything" in {r["id"] for r in hostile_client.get("/api/search?q=Белоусов").get_json()["results"]}


@pytest.mark.parametrize("query", ["Schadcode", "script", "alert", "onerror", "Министр", "Unsichtbar", "img", "mark"])
def test_results_come_back_escaped(hostile_client, query):
    result = hostile_client.get("/api/search", query_string={"q": query, "per_page": 50}).get_json()
    for hit in result["results"]:
        if hit["title"]:
            assert_escaped(hit["title_html"], hit["title"])
        for snippet in hit["snippets"]:
            assert_escaped(snippet["html"], snippet["text"])
            for start, end in snippet["matches"]:
                assert 0 <= start < end <= len(snippet["text"])


def test_invisible_and_control_characters_are_removed(hostile_client):
    for article_id in ("markup", "invisible", "everything"):
        document = hostile_client.get(f"/api/documents/{article_id}").get_json()
        for text in [document["title"] or "", document["body"], *(p["text"] for p in document["paragraphs"])]:
            assert not set(text) & set(INVISIBLE + "\x00\x07\x1b"), (article_id, text)
    assert "Schadcode" in hostile_client.get("/api/documents/invisible").get_json()["body"]


def test_markup_is_kept_as_text_in_json_never_as_html(hostile_client):
    response = hostile_client.get("/api/documents/markup")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    document = response.get_json()
    assert BREAKOUTS[0] in document["body"]  # the article's text, faithfully; escaping is the reader's job
    assert document["url"] is None or not document["url"].startswith("javascript:")


def test_an_html_page_keeps_no_script(hostile_client):
    document = hostile_client.get("/api/documents/page").get_json()
    assert "Schadcode" in document["body"]
    for trace in ("__xss", "alert(", "onload", "onclick", "javascript:", "<"):
        assert trace not in document["body"] and trace not in (document["title"] or "")


def test_suggestions_are_plain_text(hostile_client):
    response = hostile_client.get("/api/suggest?q=Schad")
    assert response.status_code == 200
    assert all(isinstance(s["text"], str) for s in response.get_json()["suggestions"])


def test_the_demo_and_docs_pages_contain_no_article_text(hostile_client):
    for path in ("/", "/api/docs"):
        page = hostile_client.get(path).get_data(as_text=True)
        assert "alert(" not in page and "Schadcode" not in page


@pytest.mark.slow
def test_a_10_mb_article_is_indexed_and_one_over_the_limit_refused_with_a_reason(tmp_path):
    german = "\n\n".join(demo_paragraphs()["de"])
    # just under the limit, 10 MB, in one article
    repeats = (MAX_ARTICLE_BYTES - 65_536) // len(german.encode())
    (tmp_path / "huge.txt").write_text("Ein sehr langer Artikel\n\n" + "\n\n".join([german] * repeats), encoding="utf-8")
    (tmp_path / "too-large.txt").write_text("Zu lang\n\n" + "x" * (MAX_ARTICLE_BYTES + 1), encoding="utf-8")
    line = json.dumps({"id": "too-large-line", "body": "y" * (MAX_ARTICLE_BYTES + 1)})
    (tmp_path / "lines.jsonl").write_text(line + "\n" + json.dumps({"id": "small", "body": german}) + "\n")
    index_dir = tmp_path / "index"
    result = run_cli("build", tmp_path / "huge.txt", tmp_path / "too-large.txt", tmp_path / "lines.jsonl",
                     "--json", index_dir=index_dir, timeout=300)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["articles"] == 2
    reasons = {item["path"]: item["reason"] for item in summary["skipped"]}
    assert reasons[str(tmp_path / "too-large.txt")].startswith("file too large")
    assert reasons[f"{tmp_path / 'lines.jsonl'}:1"].startswith("line too long")
    assert (tmp_path / "huge.txt").stat().st_size > 10_000_000
    client = make_client(index_dir)
    found = client.get("/api/search?q=Pj%C3%B6ngjang").get_json()
    assert {r["id"] for r in found["results"]} == {"huge", "small"}
    for hit in found["results"]:
        assert len(hit["snippets"]) <= 3
    assert client.get("/api/documents/huge/similar").status_code == 200
    assert run_cli("check", index_dir=index_dir).returncode == 0
