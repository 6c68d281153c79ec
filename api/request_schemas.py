"""Query-parameter schemas: what each endpoint accepts, validated with
marshmallow and described by the same schemas in the OpenAPI spec.

Limits come from the app's settings, so the schemas are made per app by
:func:`request_schemas`.  Query strings arrive as a multi-dict; :func:`load_args`
turns it into what marshmallow loads: list parameters may be repeated or
comma-separated, others must be given once, and an empty value counts as not
given (an HTML form submits its empty inputs as ``name=``).
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .languages import ANALYZED, ISO_639_1


def between(low, high):
    return validate.Range(min=low, max=high, error="Must be between {min} and {max}.")


def at_most_characters(length):
    return validate.Length(max=length, error="Must be at most {max} characters long.")


#: What a ``lang`` parameter accepts, as the OpenAPI document says (exactly,
#: so that fuzzing can tell valid from invalid): a code in lower or upper case.
LANGUAGE_CODES = sorted(ISO_639_1) + sorted(code.upper() for code in ISO_639_1)


class LanguageCode(fields.String):
    """A two-letter ISO 639-1 code, in lower or upper case."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"enum": LANGUAGE_CODES}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip()
        if code not in LANGUAGE_CODES:
            raise ValidationError(
                f"{value!r} is not a language code: use two-letter ISO 639-1 codes such as {', '.join(ANALYZED)}."
            )
        return code.lower()


def query_text(max_length, description, example):
    return fields.String(
        required=True,
        validate=at_most_characters(max_length),
        error_messages={"required": "Missing: enter the text to search for."},
        metadata={"description": description, "example": example},
    )


def date_bound(description):
    return fields.Date(
        format="%Y-%m-%d",
        error_messages={"invalid": "Not a valid date: use YYYY-MM-DD, for example 2024-11-29."},
        metadata={"description": f"{description} YYYY-MM-DD.", "example": "2024-11-29"},
    )


def request_schemas(limits):
    """``{name: Schema instance}``: the query parameters of each kind of
    endpoint (``"none"`` for those that take none)."""

    class SearchArgs(Schema):
        q = query_text(
            limits.max_query_length,
            "The query: words (all must match), \"exact phrases\", OR, -excluded, prefix*, "
            "and the filters lang:de, source:skai.gr, date:2024-11 or date:2024-11-01..2024-11-30.",
            "Kursk",
        )
        lang = fields.List(
            LanguageCode(),
            metadata={
                "description": "Only articles with text in these languages (ISO 639-1 codes; "
                "el, de, hu and ru are analyzed, others are found by their words as written). "
                "Repeat the parameter or separate codes with commas.",
                "example": ["de", "el"],
            },
        )
        source = fields.List(
            fields.String(validate=at_most_characters(200)),
            metadata={
                "description": "Only articles from these sources (as in the source facet, case-insensitive). "
                "Repeat the parameter or separate sources with commas.",
                "example": ["skai.gr"],
            },
        )
        date_from = date_bound("Only articles published on or after this day.")
        date_to = date_bound("Only articles published on or before this day.")
        sort = fields.String(
            load_default="relevance",
            validate=validate.OneOf(["relevance", "date"], error="Must be one of: {choices}."),
            metadata={"description": "relevance: best match first; date: newest first."},
        )
        page = fields.Integer(
            load_default=1,
            validate=between(1, limits.max_result_depth),
            metadata={"description": f"Page of results, from 1. page × per_page may not exceed {limits.max_result_depth}."},
        )
        per_page = fields.Integer(
            load_default=10,
            validate=between(1, limits.max_per_page),
            metadata={"description": "Results per page."},
        )

        @validates_schema
        def _within_depth(self, data, **kwargs):
            page, per_page = data.get("page"), data.get("per_page")
            if page and per_page and page * per_page > limits.max_result_depth:
                raise ValidationError(
                    f"Results beyond the first {limits.max_result_depth} cannot be fetched "
                    f"(page {page} × per_page {per_page} = {page * per_page}): refine the query instead.",
                    field_name="page",
                )

        @validates_schema
        def _dates_in_order(self, data, **kwargs):
            start, end = data.get("date_from"), data.get("date_to")
            if start and end and start > end:
                raise ValidationError(f"Must not be before date_from ({start.isoformat()}).", field_name="date_to")

    class SuggestArgs(Schema):
        q = query_text(limits.max_query_length, "What has been typed so far; the last word is completed.", "Kor")
        limit = fields.Integer(
            load_default=8,
            validate=between(1, limits.max_suggestions),
            metadata={"description": "Suggestions at most."},
        )

    class SimilarArgs(Schema):
        limit = fields.Integer(
            load_default=10,
            validate=between(1, limits.max_per_page),
            metadata={"description": "Similar articles at most."},
        )

    # Endpoints without parameters still reject unknown ones (a typo is not ignored).
    return {"search": SearchArgs(), "suggest": SuggestArgs(), "similar": SimilarArgs(), "none": Schema()}


def load_args(schema, args):
    """Validate the query-string multi-dict ``args`` with ``schema``; returns
    the loaded dict or raises :class:`ValidationError` naming each parameter."""
    data, errors = {}, {}
    for name in args:
        field = schema.fields.get(name)
        # Given empty (as HTML forms send it): not given, as the OpenAPI
        # document says (allowEmptyValue).  Blank is not empty: it is refused.
        values = [value for value in args.getlist(name) if value != ""]
        if field is None:
            errors[name] = [f"Unknown parameter: this endpoint takes {', '.join(schema.fields) or 'none'}."]
        elif isinstance(field, fields.List):
            items = [item.strip() for value in values for item in value.split(",") if item.strip()]
            if items:
                data[name] = items
            elif values:
                errors[name] = ["Blank: give a value, or leave the parameter out."]
        elif len(values) > 1:
            errors[name] = [f"Given {len(values)} times: give it once."]
        elif values:
            data[name] = values[0]
    try:
        loaded = schema.load(data)
    except ValidationError as error:
        errors = {**error.messages, **errors}
    if errors:
        raise ValidationError(errors)
    return loaded
