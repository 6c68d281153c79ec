"""GET /api/openapi.json and the docs page generated from it."""

import re

import pytest

from api.config import limits, load_settings
from api.docs_page import render_docs
from api.endpoints import ENDPOINTS
from api.openapi import openapi_path
from api.request_schemas import request_schemas
from tests.api.conftest import make_client

SCHEMAS = request_schemas(limits(load_settings({})))


@pytest.fixture(scope="module")
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_spec_is_openapi_3_1_with_info(spec):
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert set(spec) <= {"openapi", "info", "paths", "components", "servers", "tags", "jsonSchemaDialect"}


def test_every_endpoint_is_in_the_spec_with_get_only(spec):
    expected = {openapi_path(e.path) for e in ENDPOINTS}
    assert set(spec["paths"]) == expected
    assert {"/api/search", "/api/documents/{article_id}", "/api/documents/{article_id}/similar", "/api/suggest",
            "/api/stats", "/api/health", "/api/openapi.json", "/api/docs"} == expected
    for path, operations in spec["paths"].items():
        assert list(operations) == ["get"], path


def test_every_parameter_is_in_the_spec(spec):
    for declared in ENDPOINTS:
        operation = spec["paths"][openapi_path(declared.path)]["get"]
        documented = {(p["name"], p["in"]) for p in operation["parameters"]}
        expected = {(name, "query") for name in SCHEMAS[declared.args].fields}
        expected |= {(name, "path") for name in declared.path_params}
        assert documented == expected, declared.path
        for parameter in operation["parameters"]:
            assert parameter["schema"].get("type"), parameter
            assert parameter.get("description"), parameter
            if parameter["in"] == "path":
                assert parameter["required"] is True
                assert "{" + parameter["name"] + "}" in openapi_path(declared.path)


def test_search_parameters_state_their_limits_and_defaults(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["maxLength"] == 500
    assert parameters["per_page"]["schema"] == {**parameters["per_page"]["schema"], "default": 10, "minimum": 1, "maximum": 100}
    assert parameters["page"]["schema"]["maximum"] == 1000
    assert parameters["sort"]["schema"]["enum"] == ["relevance", "date"]
    assert parameters["lang"]["schema"]["type"] == "array"
    assert parameters["date_from"]["schema"]["format"] == "date"


def test_spec_follows_the_settings(demo_index):
    spec = make_client(demo_index, MAX_PER_PAGE=7).get("/api/openapi.json").get_json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert parameters["per_page"]["schema"]["maximum"] == 7


def test_every_operation_has_responses_with_schemas(spec):
    for path, operations in spec["paths"].items():
        operation = operations["get"]
        assert operation["operationId"] and operation["summary"], path
        responses = operation["responses"]
        assert "200" in responses and "500" in responses, path
        for status, response in responses.items():
            assert response["description"], (path, status)
            if status == "414":  # the server's own refusal of a long request line, before the app
                assert list(response["content"]) == ["text/html"], path
            elif status not in ("200", "304"):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert "400" in spec["paths"]["/api/search"]["get"]["responses"]
    assert "404" in spec["paths"]["/api/documents/{article_id}"]["get"]["responses"]
    assert "503" in spec["paths"]["/api/health"]["get"]["responses"]


def test_every_reference_resolves(spec):
    components = spec["components"]["schemas"]
    found = set(refs(spec["paths"])) | set(refs(components))
    assert found
    for ref in found:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in components, ref


def test_response_schemas_describe_what_is_sent(client, spec):
    """The schema of the search response lists exactly the keys sent."""
    components = spec["components"]["schemas"]
    body = client.get("/api/search?q=Korea").get_json()
    assert set(components["SearchResponse"]["properties"]) == set(body)
    assert set(components["SearchResponse"]["required"]) == set(body)
    assert set(components["Result"]["properties"]) == set(body["results"][0])
    assert set(components["Snippet"]["properties"]) == set(body["results"][0]["snippets"][0])
    stats = client.get("/api/stats").get_json()
    assert set(components["StatsResponse"]["properties"]) == set(stats)
    error = client.get("/api/search").get_json()
    assert set(components["Error"]["properties"]) == set(error["error"])


# -- the docs page ------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_html(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_docs_page_lists_every_endpoint_with_a_curl_example(docs_html, spec):
    for path in spec["paths"]:
        assert f"</span>{path}</h3>" in docs_html, path
        # shlex quotes a URL with a query string: &#39; is the escaped quote.
        assert re.search("curl -i (&#39;)?" + re.escape("http://localhost" + path.split("{")[0]), docs_html), path
    assert "curl -i &#39;http://localhost/api/search?q=Kursk&#39;" in docs_html


def test_docs_page_lists_every_parameter_with_type_default_and_limits(docs_html):
    for schema in SCHEMAS.values():
        for name in schema.fields:
            assert f'<td class="mono">{name}' in docs_html, name
    assert "1 to 100" in docs_html and "at most 500 characters" in docs_html and "one of relevance, date" in docs_html


def test_docs_page_shows_every_response_schema(docs_html, spec):
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in docs_html, name


def test_docs_page_has_no_external_assets(docs_html):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs_html)
    assert "<script" not in docs_html


def test_docs_page_escapes_everything(client, spec):
    evil = "<script>alert('x')</script>"
    hostile = {
        **spec,
        "info": {"title": evil, "version": evil, "description": evil},
        "paths": {
            "/api/x": {
                "get": {
                    "operationId": evil,
                    "summary": evil,
                    "description": evil,
                    "parameters": [{"in": "query", "name": evil, "description": evil,
                                    "schema": {"type": "string", "default": evil, "pattern": evil, "example": evil}}],
                    "responses": {"200": {"description": evil, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + evil}}}}},
                }
            }
        },
        "components": {"schemas": {evil: {"type": "object", "properties": {evil: {"type": "string", "description": evil}}}}},
    }
    with client.application.test_request_context("/api/docs"):
        html = render_docs(hostile, "http://localhost/")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_docs_page_shows_markup_in_descriptions_as_text(docs_html):
    assert "&lt;mark&gt;" in docs_html and "<mark>" not in docs_html
