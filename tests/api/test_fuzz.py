"""Fuzzing: Schemathesis generates requests from our own /api/openapi.json,
valid and invalid ones, sends them to the app (WSGI) and checks every
response with all its checks (no 5xx; status, content type, headers and body
as the document says), and that every error is JSON."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.config._checks import NegativeDataRejectionConfig

from api.endpoints import ENDPOINTS
from api.openapi import openapi_path
from api.routes import ARTICLE_ID
from tests.api.conftest import make_client, serving

#: Examples per operation and generation mode: bounded so that the whole fuzz
#: test stays well under a minute.
MAX_EXAMPLES = 100

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure can be reproduced
    database=None,  # nothing written into the work tree
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def api_schema(demo_index):
    # (schemathesis.pytest.from_fixture does not work with pytest 9: it reads a
    # private attribute pytest no longer has; Hypothesis' @given does the same.)
    app = make_client(demo_index).application
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


# Excluded check: positive_data_acceptance expects a 2xx for every request the
# schema admits, but a query string can be well-formed and still one the engine
# refuses with a documented 400 (`*orea`, more than 32 words, page × per_page
# beyond the result depth).  Every other check runs.


def assert_json_error(response):
    assert response.status_code < 500, response.text[:500]
    if response.status_code == 414:  # gunicorn's own page, before the app (documented as HTML)
        assert response.headers["content-type"][0].startswith("text/html")
    elif response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/json"), response.text[:200]
        assert response.json()["error"]["status"] == response.status_code


#: Invalid requests can only be made for operations with typed parameters (a
#: path segment is any string).
CASES = [(openapi_path(e.path), GenerationMode.POSITIVE) for e in ENDPOINTS] + [
    (openapi_path(e.path), GenerationMode.NEGATIVE) for e in ENDPOINTS if e.args != "none"
]


def fuzz(operation, mode, fuzz_settings=FUZZ_SETTINGS):
    """Run the examples of ``operation`` in ``mode``; the statuses seen."""
    statuses = []

    @fuzz_settings
    @given(operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        assert_json_error(response)
        statuses.append(response.status_code)

    check()
    print(f"{operation.path} {mode.value}: {len(statuses)} requests, statuses {sorted(set(statuses))}")
    return statuses


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_every_operation(api_schema, path, mode):
    fuzz(api_schema[path]["GET"], mode)


@pytest.fixture(scope="module")
def served_schema(demo_index, tmp_path_factory):
    with serving(demo_index, tmp_path_factory.mktemp("fuzz") / "gunicorn.log") as server:
        schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
        # Invalid data may be long enough for gunicorn to refuse the request line (its documented 414).
        rejection = schema.config.checks.negative_data_rejection
        schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
            expected_statuses=[*rejection.expected_statuses, 414]
        )
        yield schema, server


@pytest.mark.slow
@pytest.mark.parametrize(("path", "mode"), CASES)
def test_the_real_server(served_schema, path, mode):
    """The same through gunicorn and real HTTP."""
    schema, server = served_schema
    statuses = fuzz(schema[path]["GET"], mode)
    assert statuses
    assert "Traceback" not in server.log()


# -- stateful: from search results to their articles (the document's links) ----

#: Scenarios, and steps in each, of the stateful run.
SCENARIOS = 30
STEPS = 6


def test_sequences_follow_the_links(api_schema):
    links = api_schema.raw_schema["paths"]["/api/search"]["get"]["responses"]["200"]["links"]
    assert {link["operationId"] for link in links.values()} == {"document", "similar"}
    followed = []

    class Machine(api_schema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
            assert_json_error(response)
            followed.append((case.operation.path, (case.path_parameters or {}).get("article_id"), response.status_code))

    run_state_machine_as_test(
        Machine,
        settings=settings(
            FUZZ_SETTINGS, max_examples=SCENARIOS, stateful_step_count=STEPS, suppress_health_check=list(HealthCheck)
        ),
    )
    # Articles other than the documented example can only be reached by a link from results.
    example = ARTICLE_ID["article_id"][1]
    by_link = [(path, article_id) for path, article_id, status in followed if article_id not in (None, example) and status == 200]
    print(f"stateful: {len(followed)} requests, {len(by_link)} to articles found by a search")
    assert by_link, "no step followed a link from search results to an article"
