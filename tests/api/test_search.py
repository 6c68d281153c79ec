"""GET /api/search: results, filters, paging, and every invalid parameter."""

import pytest

from tests.api.conftest import error_of, field_errors, make_client

GREEK_KOREA = "Κορέα"  # in the three Greek demo articles; Észak-Korea and Nordkorea through the names key


def search(client, **params):
    return client.get("/api/search", query_string=params)


def test_search_returns_the_engine_result_with_took_ms(client):
    response = search(client, q="Verteidigungsminister", lang="de")  # (the Greek articles have its translations)
    assert response.status_code == 200
    body = response.get_json()
    assert body["query"] == "Verteidigungsminister"
    assert body["total"] == 1
    (result,) = body["results"]
    assert result["id"] == "002_4df69229d299b9a4"
    assert result["lang"] == "de"
    assert set(result) == {
        "id", "title", "title_html", "title_matches", "lang", "languages", "date", "source", "url", "score", "snippets",
    }
    assert "<mark>" in result["snippets"][0]["html"]
    assert set(body["facets"]) == {"lang", "source", "month"}
    assert body["facets"]["lang"] == [{"value": "de", "count": 1}]
    assert isinstance(body["took_ms"], float) and 0 < body["took_ms"] < 60_000
    assert body["partial"] is False and body["did_you_mean"] is None


def test_search_is_utf8_json_not_escaped(client):
    response = search(client, q=GREEK_KOREA)
    assert "Κορέα".encode() in response.data
    assert response.content_type == "application/json"


def test_search_in_russian_finds_the_greek_article_quoting_russian(client):
    body = search(client, q="Белоусов").get_json()
    # the Greek article quoting Russian, and Belousow and Belouszov through the names key
    assert {r["id"][:3] for r in body["results"]} == {"000", "002", "004"}
    (greek,) = [r for r in body["results"] if r["id"].startswith("000")]
    assert any("<mark>Белоусов</mark>" in s["html"] or "<mark>Μπελούσοφ</mark>" in s["html"] for s in greek["snippets"])


@pytest.mark.parametrize("lang", [["el"], ["EL"], ["de,el"], ["de", "el"]])
def test_lang_may_be_repeated_comma_separated_or_upper_case(client, lang):
    # Werkzeug repeats a parameter given as a list.
    body = search(client, q=GREEK_KOREA, lang=lang).get_json()
    assert body["total"] == 3
    assert {r["lang"] for r in body["results"]} == {"el"}


def test_lang_filter_excludes_other_languages(client):
    assert search(client, q=GREEK_KOREA, lang="hu").get_json()["total"] == 0


def test_source_and_date_filters(client):
    assert search(client, q=GREEK_KOREA, source="skai.gr").get_json()["total"] == 2
    body = search(client, q=GREEK_KOREA, date_from="2025-01-01", date_to="2025-12-31").get_json()
    assert [r["date"] for r in body["results"]] == ["2025-04-28"]


def test_empty_optional_parameters_count_as_not_given(client):
    """A search form submits its empty inputs as ``name=``."""
    response = client.get(f"/api/search?q={GREEK_KOREA}&lang=&source=&date_from=&date_to=&sort=&page=&per_page=")
    assert response.status_code == 200
    assert response.get_json()["total"] == 5


def test_sort_by_date_puts_newest_first(client):
    dates = [r["date"] for r in search(client, q=GREEK_KOREA, sort="date").get_json()["results"]]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)


def test_paging(client):
    first = search(client, q=GREEK_KOREA, per_page=2).get_json()
    second = search(client, q=GREEK_KOREA, per_page=2, page=2).get_json()
    assert (first["page"], first["per_page"], len(first["results"])) == (1, 2, 2)
    assert (second["page"], len(second["results"])) == (2, 2)  # of 5
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "q", "Missing"),
        ({"q": "   "}, "q", "at least one word"),
        ({"q": "x", "lang": "xx"}, "lang", "not a language code"),
        ({"q": "x", "lang": "deu"}, "lang", "ISO 639-1"),
        ({"q": "x", "source": "s" * 201}, "source", "at most 200 characters"),
        ({"q": "x", "date_from": "29.11.2024"}, "date_from", "YYYY-MM-DD"),
        ({"q": "x", "date_to": "2024-02-30"}, "date_to", "YYYY-MM-DD"),
        ({"q": "x", "date_from": "2024-12-01", "date_to": "2024-11-01"}, "date_to", "before date_from"),
        ({"q": "x", "sort": "newest"}, "sort", "one of: relevance, date"),
        ({"q": "x", "page": "0"}, "page", "between 1 and 1000"),
        ({"q": "x", "page": "two"}, "page", "integer"),
        ({"q": "x", "per_page": "0"}, "per_page", "between 1 and 100"),
        ({"q": "x", "per_page": "101"}, "per_page", "between 1 and 100"),
        ({"q": "x", "per_page": "2.5"}, "per_page", "integer"),
        ({"q": "x", "pagesize": "5"}, "pagesize", "Unknown parameter"),
        ({"q": ["x", "y"]}, "q", "give it once"),
    ],
)
def test_each_invalid_parameter_is_a_400_naming_it(client, params, field, words):
    errors = field_errors(search(client, **params))
    assert list(errors) == [field]
    assert words.lower() in " ".join(errors[field]).lower()


def test_per_page_over_100_says_the_limit(client):
    assert field_errors(search(client, q="x", per_page=500)) == {"per_page": ["Must be between 1 and 100."]}


def test_several_invalid_parameters_are_reported_together(client):
    error = error_of(search(client, q="x", per_page=0, sort="x", lang="zz"), 400)
    assert set(error["fields"]) == {"per_page", "sort", "lang"}
    assert "per_page" in error["message"]


def test_results_deeper_than_the_limit_are_refused(client):
    errors = field_errors(search(client, q="x", page=11, per_page=100))
    assert "first 1000" in errors["page"][0]
    assert search(client, q=GREEK_KOREA, page=10, per_page=100).status_code == 200


def test_query_length_limit(client):
    assert search(client, q="a" * 500).status_code == 200
    assert field_errors(search(client, q="a" * 501)) == {"q": ["Must be at most 500 characters long."]}


def test_limits_follow_the_settings(demo_index):
    client = make_client(demo_index, MAX_QUERY_LENGTH=10, MAX_PER_PAGE=5, MAX_RESULT_DEPTH=20)
    assert "q" in field_errors(search(client, q="a" * 11))
    assert field_errors(search(client, q="x", per_page=6)) == {"per_page": ["Must be between 1 and 5."]}
    assert "first 20" in field_errors(search(client, q="x", page=5, per_page=5))["page"][0]


def test_a_query_the_engine_rejects_is_a_400_on_its_field(client):
    # Only punctuation: the engine's QueryError, not a schema error.
    errors = field_errors(search(client, q='"'))
    assert list(errors) == ["q"]
