"""Loading files: every supported format, and every kind of bad input reported
with its path and reason while the rest still loads."""

import json

import pytest

from index.article import RawArticle, Skipped
from index.sources import load_paths
from tests.conftest import DATA

GOOD_TEXT = "Der russische Verteidigungsminister ist in Pjöngjang eingetroffen."


def loaded(*paths):
    items = list(load_paths(paths))
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, Skipped)]


def test_demo_folder_loads_five_articles_named_by_file():
    articles, skipped = loaded(DATA)
    assert skipped == []
    assert [a.id for a in articles] == sorted(p.stem for p in DATA.glob("*.txt"))


def test_jsonl_with_metadata_and_derived_ids(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a1", "title": "Titel", "body": GOOD_TEXT, "date": "2024-11-29", "url": "https://x.de/a1", "source": "X", "lang": "de"},
        {"text": GOOD_TEXT, "url": "https://x.de/a2"},
        {"body": GOOD_TEXT},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    articles, skipped = loaded(path)
    assert skipped == []
    first, second, third = articles
    assert (first.id, first.title, first.date, first.url, first.source, first.lang) == (
        "a1", "Titel", "2024-11-29", "https://x.de/a1", "X", "de"
    )
    assert second.id.startswith("url-") and len(second.id) == 20
    assert third.id == "feed-3"


def test_json_list_object_and_articles_key(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"id": "l1", "body": GOOD_TEXT}]), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"body": GOOD_TEXT}), encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{"id": "w1", "body": GOOD_TEXT}]}), encoding="utf-8")
    articles, skipped = loaded(tmp_path)
    assert skipped == []
    assert sorted(a.id for a in articles) == ["l1", "one", "w1"]


def test_html_file_is_marked_as_html(tmp_path):
    (tmp_path / "page.html").write_text("<html><body><p>" + GOOD_TEXT + "</p></body></html>", encoding="utf-8")
    (article,), _ = loaded(tmp_path)
    assert article.is_html and article.id == "page"


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\n", "no text"),
        ("latin1.txt", "Pjöngjang".encode("latin-1"), "not valid UTF-8: undecodable byte 0xf6 at offset 2"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("broken.json", b'{"id": "x", "body": ', "invalid JSON"),
        ("scalar.json", b"42", "expected a JSON object or list of objects"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_bad_files_are_reported_and_the_rest_loads(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    articles, skipped = loaded(tmp_path)
    assert [a.id for a in articles] == ["good"]
    assert len(skipped) == 1
    assert skipped[0].origin == str(tmp_path / name)
    assert reason in skipped[0].reason


def test_bad_json_lines_are_reported_with_line_numbers(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "ok1", "body": "' + GOOD_TEXT.encode() + b'"}\n'
        b'{"id": "broken", "body": \n'
        b'{"id": "nobody"}\n'
        b'["not", "an", "object"]\n'
        b'{"id": "bad\xff", "body": "x"}\n'
        b'{"id": {"x": 1}, "body": "text"}\n'
        b'{"id": "ok2", "text": "' + GOOD_TEXT.encode() + b'"}\n'
    )
    articles, skipped = loaded(path)
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [(s.origin.rsplit(":", 1)[1], s.reason.split(":")[0].split(" (")[0]) for s in skipped] == [
        ("2", "invalid JSON"),
        ("3", "no 'body' or 'text' field"),
        ("4", "expected a JSON object, found list"),
        ("5", "not valid UTF-8"),
        ("6", "'id' must be a string, found dict"),
    ]


@pytest.mark.parametrize("content", [b'{"id": "x", "body": "Abgeschn', b'{"id": "x"\n\n{"id": \n'])
def test_a_file_of_broken_lines_is_reported_once_per_line(tmp_path, content):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(content)
    articles, skipped = loaded(path)
    assert articles == []
    assert [s.origin for s in skipped] == [f"{path}:{number}" for number in (1, 3)[: content.count(b"{")]]
    assert skipped[0].reason == "invalid JSON: " + ("Unterminated string starting at: column 21" if b"Abgeschn" in content else "Expecting ',' delimiter: column 11")


def test_an_empty_json_lines_file_is_reported(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n  \n")
    assert [(s.origin, s.reason) for s in loaded(path)[1]] == [(str(path), "no JSON objects in file")]


def test_missing_path_is_reported(tmp_path):
    articles, skipped = loaded(tmp_path / "nope")
    assert articles == [] and skipped[0].reason == "no such file or folder"
