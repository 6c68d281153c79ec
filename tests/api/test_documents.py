"""GET /api/documents/<id> and /api/documents/<id>/similar."""

from tests.api.conftest import error_of, field_errors

GREEK_QUOTING_RUSSIAN = "000_501efcaeca65557f"


def test_document_has_its_paragraphs_with_their_languages(client):
    response = client.get(f"/api/documents/{GREEK_QUOTING_RUSSIAN}")
    assert response.status_code == 200
    document = response.get_json()
    assert set(document) == {"id", "title", "lang", "languages", "date", "source", "url", "body", "paragraphs"}
    assert document["id"] == GREEK_QUOTING_RUSSIAN
    assert document["lang"] == "el"
    assert {p["lang"] for p in document["paragraphs"]} == {"el", "ru"}
    assert [p["text"] for p in document["paragraphs"]] == document["body"].split("\n\n")


def test_unknown_document_is_a_404(client):
    error = error_of(client.get("/api/documents/no-such-article"), 404)
    assert "no-such-article" in error["message"]


def test_ids_with_slashes_route_to_the_right_endpoint(client):
    assert "'a/b'" in error_of(client.get("/api/documents/a/b"), 404)["message"]
    assert "'a/b'" in error_of(client.get("/api/documents/a/b/similar"), 404)["message"]


def test_similar_articles(client):
    response = client.get(f"/api/documents/{GREEK_QUOTING_RUSSIAN}/similar", query_string={"limit": 2})
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == GREEK_QUOTING_RUSSIAN
    assert 1 <= len(body["results"]) <= 2
    assert GREEK_QUOTING_RUSSIAN not in [r["id"] for r in body["results"]]
    assert {"id", "title", "lang", "score", "snippets"} <= set(body["results"][0])


def test_similar_limit_is_validated(client):
    url = f"/api/documents/{GREEK_QUOTING_RUSSIAN}/similar"
    assert field_errors(client.get(url, query_string={"limit": 0})) == {"limit": ["Must be between 1 and 100."]}


def test_similar_of_an_unknown_document_is_a_404(client):
    error_of(client.get("/api/documents/no-such-article/similar"), 404)


def test_document_takes_no_parameters(client):
    errors = field_errors(client.get(f"/api/documents/{GREEK_QUOTING_RUSSIAN}?full=1"))
    assert "Unknown parameter" in errors["full"][0]
