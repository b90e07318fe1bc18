"""The record document before it is read: the JSON Schema of format version 1, its errors in
words naming the field and what is accepted, and ``json`` parsing of untrusted text.

:mod:`spasmcare.record.io` checks a document here, then reads it for meaning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from spasmcare.errors import InputError
from spasmcare.record import plausibility

SCHEMA_FILE = "record-schema-v1.json"


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return (resources.files("spasmcare.record") / "schema" / SCHEMA_FILE).read_text("utf-8")


def load_schema() -> dict[str, Any]:
    """The JSON Schema of the record format (a fresh copy each call)."""
    return cast(dict[str, Any], json.loads(_schema_text()))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema())


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "record"


def _join(base: str, name: str) -> str:
    return name if base == "record" else f"{base}.{name}"


def _range_words(schema: dict[str, Any]) -> str:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    kind = "a whole number" if schema.get("type") == "integer" else "a number"
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if "exclusiveMinimum" in schema:
        return f"{kind} above {low}"
    if low is not None:
        return f"{kind} of at least {low}"
    return f"{kind} of at most {high}"


_PATTERN_WORDS = {
    "date": "a date written YYYY-MM-DD",
    "datetime": "a date or date-time written YYYY-MM-DD or YYYY-MM-DDTHH:MM",
    "id": "an identifier of 1-64 letters, digits, '_', '.' or '-'",
    "time": "a time of day written HH:MM (00:00 to 23:59)",
}


def _schema_error(error: ValidationError) -> InputError:
    """Turn a JSON Schema error into an InputError naming the field and what is accepted."""
    where = _path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    value: Any = error.instance
    if keyword == "required":
        missing = next((n for n in error.validator_value if n not in error.instance), "?")
        return InputError(_join(where, missing), None, "a value: this field is required")
    if keyword == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        name = extra[0] if extra else "?"
        return InputError(
            _join(where, name),
            error.instance.get(name),
            "only the known fields: " + ", ".join(known),
        )
    if keyword == "enum":
        accepted = "one of " + ", ".join(str(v) for v in error.validator_value)
    elif keyword == "const":
        accepted = f"exactly {error.validator_value!r}"
    elif keyword == "type":
        accepted = f"a JSON {error.validator_value}"
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        accepted = _range_words(schema)
    elif keyword == "pattern":
        pattern = str(error.validator_value)
        if "T" in pattern:
            kind = "datetime"
        elif pattern.startswith("^[0-9]{4}"):
            kind = "date"
        else:
            kind = "time" if ":" in pattern else "id"
        accepted = _PATTERN_WORDS[kind]
    elif keyword in ("minLength", "maxLength"):
        accepted = f"a text of at most {schema.get('maxLength', '?')} characters, not empty"
    elif keyword == "oneOf" and where.startswith("recorded_days"):
        accepted = 'a date YYYY-MM-DD or a range {"from": date, "to": date}'
    elif keyword == "anyOf" and where.startswith("growth"):
        accepted = "at least one of weight_kg, length_cm, head_circumference_cm"
    else:
        accepted = error.message
    return InputError(where, value, accepted)


def validate_record_dict(data: Any) -> None:
    """Check ``data`` against the record JSON Schema; raise InputError for the best match."""
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        raise _schema_error(error)


#: Largest record document accepted [characters] (software setting; the web import takes 20 MB).
MAX_DOCUMENT_CHARS = 20_000_000


def parse_json(text: str, field: str = "record") -> Any:
    """``json.loads`` for untrusted text: every failure (bad syntax, NaN or Infinity, nesting
    that exhausts the parser, a number of more than 4,300 digits, a huge document) is an
    InputError naming ``field``."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(
            field, f"{len(text)} characters", f"a document under {MAX_DOCUMENT_CHARS} characters"
        )
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            field, f"line {exc.lineno} column {exc.colno}", f"a JSON document ({exc.msg})"
        ) from exc
    except InputError:
        raise
    except RecursionError:
        raise InputError(field, "(nested data)", "a JSON document nested less deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputError(
            field, "(a number)", f"a JSON document with ordinary numbers ({exc})"
        ) from None
    plausibility.check_document(data)
    return data


def _no_constant(name: str) -> Any:
    raise InputError("record", name, "a finite number (NaN and Infinity are not JSON)")
