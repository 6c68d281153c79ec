"""Dump a response through its schema, fast.

marshmallow's ``Schema.dump`` costs about 2 ms for one page of search
results (ten results, thirty passages, the facets): its generic machinery
runs for each of some 600 values.  :func:`dumper` reads a schema's fields
once and builds a function that does what ``dump`` does for the fields these
schemas use (strings, numbers, booleans, lists, nested schemas: each leaf
value through its field's own ``_serialize``, missing attributes left out,
``data_key`` honoured, the declared order kept); a schema with anything else
(a mapping field, dump hooks, a field of another kind) is dumped by
marshmallow itself.  tests/api/test_dumping.py compares the two on real
responses.
"""

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

_LEAVES = (fields.String, fields.Integer, fields.Float, fields.Boolean)
#: The type a leaf field's ``_serialize`` returns unchanged (as it is, not a
#: copy): a value of exactly that type needs no call.
_PASSED_AS_IT_IS = {fields.String: str, fields.Integer: int, fields.Float: float, fields.Boolean: bool}
_compiled = {}


class _Unsupported(Exception):
    pass


def dumper(schema_class):
    """A function ``obj -> dict`` equal to ``schema_class().dump(obj)``."""
    found = _compiled.get(schema_class)
    if found is None:
        schema = schema_class()
        try:
            found = _schema_dumper(schema)
        except _Unsupported:
            found = schema.dump
        _compiled[schema_class] = found
    return found


def _schema_dumper(schema):
    if (
        schema.many
        or schema._hooks[PRE_DUMP]
        or schema._hooks[POST_DUMP]
        or schema.dict_class is not dict
        or type(schema).get_attribute is not Schema.get_attribute
    ):
        raise _Unsupported
    parts = []
    for name, field in schema.dump_fields.items():
        if (
            field.dump_default is not missing
            or "." in (field.attribute or name)
            or not field._CHECK_ATTRIBUTE
            or type(field).get_value is not fields.Field.get_value
        ):
            raise _Unsupported
        parts.append((field.attribute or name, field.data_key if field.data_key is not None else name, _field_dumper(field)))

    def dump(obj):
        out = {}
        for attribute, key, serialize in parts:
            value = _value(obj, attribute)
            if value is not missing:
                out[key] = serialize(value)
        return out

    return dump


def _value(obj, key):
    """marshmallow's default accessor (``utils.get_value`` for a plain key)."""
    if not hasattr(obj, "__getitem__"):
        return getattr(obj, key, missing)
    try:
        return obj[key]
    except (KeyError, IndexError, TypeError, AttributeError):
        return getattr(obj, key, missing)


def _field_dumper(field):
    kind = type(field)
    if kind in _LEAVES:
        serialize = field._serialize
        if getattr(field, "as_string", False):
            return lambda value: serialize(value, None, None)
        # (nearly every value the engine gives: one type check instead of marshmallow's call chain)
        exact = _PASSED_AS_IT_IS[kind]
        return lambda value: value if type(value) is exact else serialize(value, None, None)
    if kind is fields.List:
        inner = _field_dumper(field.inner)
        return lambda value: None if value is None else [inner(each) for each in value]
    if kind is fields.Nested:
        schema = field.schema
        many = schema.many or field.many
        if schema.many:
            raise _Unsupported
        inner = _schema_dumper(schema)
        if many:
            return lambda value: None if value is None else [inner(each) for each in value]
        return lambda value: None if value is None else inner(value)
    raise _Unsupported
