"""Documentation checked by tests: every command, option and setting the code
offers appears in the README."""

import re

from index.cli import make_parser
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def subcommands():
    parser = make_parser()
    (action,) = [a for a in parser._actions if a.dest == "command"]
    return action.choices


def test_every_cli_command_is_documented():
    for name in subcommands():
        assert f"python -m index {name}" in README, name


def test_every_cli_option_is_documented():
    for name, parser in subcommands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in README, f"{name} {option}"


def test_environment_settings_are_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("index", "search") for p in (REPO / d).rglob("*.py"))
    for variable in set(re.findall(r"environ(?:\.get)?\(\s*\"([A-Z_]+)\"", code)):
        assert f"${variable}" in README, variable


def test_readme_set_up_commands_exist_in_the_makefile():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "rebuild", "bench-conflation", "clean"):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target
        assert f"make {target}" in README


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_api_setting_is_documented():
    from api.config import SETTINGS

    for key in SETTINGS:
        assert f"| `{key}` |" in README, key


def test_every_api_endpoint_and_parameter_is_documented():
    from api.endpoints import ENDPOINTS
    from api.openapi import openapi_path

    for endpoint in ENDPOINTS:
        assert f"`GET {openapi_path(endpoint.path)}`" in README, endpoint.path
    spec = _api_spec()
    for path, operations in spec["paths"].items():
        for parameter in operations["get"]["parameters"]:
            assert f"`{parameter['name']}`" in README, (path, parameter["name"])


def test_make_serve_is_documented():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve:", makefile, re.M)
    assert "make serve" in README


def test_every_widget_route_and_option_is_documented():
    widget_routes = [rule.rule for rule in _app().url_map.iter_rules() if rule.endpoint.startswith("widget.")]
    assert "/widget.js" in widget_routes
    for route in widget_routes:
        assert f"`GET {route}`" in README, route
    script = (REPO / "api" / "static" / "widget.js").read_text(encoding="utf-8")
    # readOptions takes them as `const { endpoint, perPage, … } = host.dataset`.
    (names,) = re.findall(r"const \{([^}]*)\} = host\.dataset", script)
    options = {re.sub(r"[A-Z]", lambda upper: "-" + upper.group().lower(), name.strip()) for name in names.split(",")}
    assert {"endpoint", "languages", "per-page", "placeholder", "ui-lang"} <= options
    for option in options | {"news-search"}:
        assert f"| `data-{option}` |" in README, option


def _app():
    from api import create_app

    return create_app({"SEARCH_INDEX_DIR": str(REPO / "var" / "no-index-needed")})


def _api_spec():
    return _app().extensions["news_api"].spec
