"""The human-readable API page, rendered on the server from the OpenAPI spec
(so it documents exactly what the spec does), with no external assets: the
page works offline.  Jinja's autoescaping escapes every value put in it."""

import shlex
from urllib.parse import quote, urlencode

from flask import render_template

REF_PREFIX = "#/components/schemas/"


def render_docs(spec, base_url):
    return render_template(
        "api_docs.html",
        info=spec["info"],
        openapi_version=spec["openapi"],
        endpoints=[
            _endpoint(path, method, operation, base_url)
            for path, operations in spec["paths"].items()
            for method, operation in operations.items()
        ],
        schemas={name: _properties(schema) for name, schema in spec.get("components", {}).get("schemas", {}).items()},
    )


def _endpoint(path, method, operation, base_url):
    parameters = [_parameter(p) for p in operation.get("parameters", [])]
    return {
        "method": method.upper(),
        "path": path,
        "anchor": operation["operationId"],
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": parameters,
        "responses": [_response(status, response) for status, response in operation["responses"].items()],
        "curl": _curl(base_url, path, parameters),
    }


def _parameter(parameter):
    schema = parameter.get("schema", {})
    example = parameter.get("example", schema.get("example"))
    return {
        "name": parameter["name"],
        "in": parameter["in"],
        "type": type_text(schema),
        "required": parameter.get("required", False),
        "default": schema.get("default"),
        "limits": limits_text(schema),
        "description": parameter.get("description", schema.get("description", "")),
        "example": example_text(example),
    }


def _response(status, response):
    media_types = [
        {"type": media_type, "schema": _schema_name(content.get("schema", {}))}
        for media_type, content in response.get("content", {}).items()
    ]
    return {
        "status": status,
        "description": response.get("description", ""),
        "media_types": media_types,
        "headers": sorted(response.get("headers", {})),
    }


def _properties(schema):
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": type_text(prop),
            "refs": list(_refs(prop)),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _schema_name(schema):
    ref = schema.get("$ref", "")
    return ref[len(REF_PREFIX):] if ref.startswith(REF_PREFIX) else None


def _refs(schema):
    """The component schemas a property's type names, for links."""
    name = _schema_name(schema)
    if name:
        yield name
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _refs(schema[key])


def example_text(example):
    """An example value as written in a query string (lists comma-separated)."""
    if example is None:
        return ""
    return ",".join(map(str, example)) if isinstance(example, list) else str(example)


def type_text(schema):
    """A JSON schema's type in words: ``array of string``, ``string (date) or null``."""
    name = _schema_name(schema)
    if name:
        return name
    types = schema.get("type", "any")
    types = types if isinstance(types, list) else [types]
    words = []
    for kind in (t for t in types if t != "null"):
        if kind == "array":
            words.append(f"array of {type_text(schema.get('items', {}))}")
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            words.append(f"object of {type_text(schema['additionalProperties'])}")
        else:
            words.append(f"{kind} ({schema['format']})" if "format" in schema else kind)
    if "null" in types:
        words.append("null")
    return " or ".join(words)


def limits_text(schema):
    """A schema's constraints in words; an array's are those of its items."""
    if schema.get("type") == "array":
        return limits_text(schema.get("items", {}))
    limits = []
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        limits.append(f"{low} to {high}")
    elif low is not None or high is not None:
        limits.append(f"at least {low}" if low is not None else f"at most {high}")
    if "minLength" in schema:
        limits.append(f"at least {schema['minLength']} characters")
    if "maxLength" in schema:
        limits.append(f"at most {schema['maxLength']} characters")
    if "enum" in schema:
        limits.append("one of " + ", ".join(map(str, schema["enum"])))
    if "pattern" in schema:
        limits.append(f"matching {schema['pattern']}")
    return "; ".join(limits)


def _curl(base_url, path, parameters):
    """A curl line calling the endpoint with the examples of its required
    parameters (all optional ones at once would rarely find anything)."""
    query = {}
    for parameter in parameters:
        if not parameter["required"]:
            continue
        value = parameter["example"]
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", quote(value))
        else:
            query[parameter["name"]] = value
    url = base_url.rstrip("/") + path + ("?" + urlencode(query) if query else "")
    return f"curl -i {shlex.quote(url)}"
