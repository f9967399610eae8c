"""Check a component document against the shipped JSON Schema, in plain English.

jsonschema finds every error; this module turns each one into a Diagnostic at
the offending key or value, using the schema's own `x-expected`, `x-message`
and `x-hint` keywords rather than jsonschema's raw text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from jobgen.diagnostics import Diagnostic
from jobgen.load.formats import format_checker, format_functions
from jobgen.load.formats import hint as format_hint
from jobgen.load.schema_check import Check, compile_check, surely_valid
from jobgen.load.secrets import find_secrets
from jobgen.load.yaml_nodes import PositionMap, YamlPath
from jobgen.suggest import closest

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@cache
def shipped_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped inside the package (component.schema.json, settings.schema.json)."""
    text = resources.files("jobgen.load").joinpath(name).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def component_schema() -> dict[str, Any]:
    """The component file JSON Schema shipped inside the package."""
    return shipped_schema("component.schema.json")


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """A validator for a shipped schema, its local $refs inlined once.

    Resolving the refs on every descent was half of validate's run time.
    """
    # Imported here: only an invalid document (or a test) needs jsonschema's walk, and its
    # import is a tenth of a second of every command that loads.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_inlined(name), format_checker=format_checker())


@cache
def _inlined(name: str) -> dict[str, Any]:
    schema = shipped_schema(name)
    inlined: dict[str, Any] = _inline_refs(schema, schema.get("$defs", {}))
    return inlined


def _validator() -> Draft202012Validator:  # bench/validate.py times building it
    return schema_validator("component.schema.json")


@cache
def _compiled(name: str) -> Check:
    return compile_check(_inlined(name), format_functions())


def schema_errors(name: str, doc: object) -> Iterator[ValidationError]:
    """Every error jsonschema finds in `doc` against a shipped schema, in jsonschema's order.

    Most documents are valid: a compiled check says so without jsonschema's walk.
    """
    if surely_valid(_compiled(name), doc):
        return iter(())
    return schema_validator(name).iter_errors(doc)


def _inline_refs(node: Any, defs: Mapping[str, Any]) -> Any:
    """`node` with each `{"$ref": "#/$defs/x"}` replaced by `x` (the schema has no cycles)."""
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, Mapping):
        return node
    ref = node.get("$ref", "")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**_inline_refs(defs[ref.removeprefix("#/$defs/")], defs), **siblings}
    return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}


def validate_component(doc: object, positions: PositionMap) -> list[Diagnostic]:
    """Every schema error, secret-looking value and bad cron line in one component document."""
    secrets = list(find_secrets(doc, positions))
    secret_at = {_line_col(d) for d in secrets}
    found = list(secrets)
    for error in schema_errors("component.schema.json", doc):
        found.extend(explain(error, positions, secret_at))
    return found


# Diagnostics carry no YAML path, so secret diagnostics are matched back by position.
def _line_col(diagnostic: Diagnostic) -> tuple[int, int]:
    assert diagnostic.pos is not None
    return (diagnostic.pos.line, diagnostic.pos.col)


def explain(
    error: ValidationError, positions: PositionMap, secret_at: set[tuple[int, int]]
) -> list[Diagnostic]:
    """A jsonschema error in plain English at the offending key or value, with a hint."""
    at: YamlPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        return list(_unknown_keys(error, at, positions, secret_at))
    if (positions.value(at).line, positions.value(at).col) in secret_at:
        return []  # already reported as a secret; do not echo or re-judge the value
    if "propertyNames" in error.absolute_schema_path:
        return [_bad_key(error, at, positions)]
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    message = _message(error, schema)
    hint = str(schema.get("x-hint", ""))
    if error.validator == "format":
        hint = format_hint(str(error.validator_value))
        if "over the limit" in str(error.cause):
            hint = "long shell or Groovy belongs in a file, named by script:, bash: or groovy:"
    if error.validator == "enum":
        hint = _did_you_mean(error.instance, _any(error.validator_value)) or hint
    pos = positions.value(at)
    if error.validator == "uniqueItems":
        pos = positions.value((*at, _first_repeat(_any(error.instance))))
    if error.validator == "required":
        hint = hint or f"{_label(at)} is {schema.get('x-expected', 'a mapping')}"
    return [Diagnostic(pos, f"schema-{error.validator}", f"{_label(at)}: {message}", hint)]


def _message(error: ValidationError, schema: Mapping[str, Any]) -> str:
    custom = schema.get("x-message", {})
    if isinstance(custom, Mapping) and error.validator in custom:
        return str(custom[error.validator])
    expected = str(schema.get("x-expected", "another kind of value"))
    v, value, instance = str(error.validator), _any(error.validator_value), _any(error.instance)
    plural = "s" if value != 1 else ""
    if v == "type":
        return f"expected {expected}, got {_kind(instance)}"
    if v == "required":
        return f"missing required field `{_missing(error)}`"
    if v in ("minItems", "maxItems"):
        return f"{'needs at least' if v == 'minItems' else 'takes at most'} {value} item{plural}"
    if v == "enum":
        return f"`{instance}` is not {_a(expected)}; expected one of: " + ", ".join(
            str(x) for x in value
        )
    simple = {
        "minLength": "must not be empty",
        "minimum": f"must be at least {value}",
        "minProperties": f"must not be empty: expected {expected}",
        "pattern": f"`{instance}` is not {_a(expected)}",
    }
    if v == "format":
        # The checker's reason; the value itself may be huge or hold control characters.
        return f"the value {error.cause}" if error.cause else f"not {_a(expected)}"
    if v == "uniqueItems":
        return f"`{instance[_first_repeat(instance)]}` is listed twice"
    return simple.get(v, error.message)


def _any(value: object) -> Any:
    """jsonschema's stubs type error fields as maybe-unset; they are set on every error raised."""
    return value


def _a(noun: str) -> str:
    return noun if noun.startswith(("a ", "an ", "the ")) else f"a {noun}"


def _missing(error: ValidationError) -> str:
    # jsonschema raises one `required` error per missing key and names it only in its message.
    match = re.match(r"'(.*)' is a required property", error.message)
    return match.group(1) if match else "?"


def _first_repeat(items: Sequence[object]) -> int:
    seen: list[object] = []
    for i, item in enumerate(items):
        if item in seen:
            return i
        seen.append(item)
    return 0


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _label(at: YamlPath) -> str:
    """A path as the user reads it: `steps.build.timeout`, `credentials[0].type`."""
    text = ""
    for part in at:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "component file"


def _did_you_mean(word: object, choices: Sequence[object]) -> str:
    if not isinstance(word, str):
        return ""
    names = [str(c) for c in choices]
    close = closest(word, names)
    if close is None:
        close = next((n for n in names if n.lower() == word.lower()), None)
    return f"did you mean `{close}`?" if close is not None else ""


def _unknown_keys(
    error: ValidationError, at: YamlPath, positions: PositionMap, secret_at: set[tuple[int, int]]
) -> Iterator[Diagnostic]:
    known = sorted(_any(error.schema).get("properties", {}))
    for key in _any(error.instance):
        if key in known:
            continue
        pos = positions.key((*at, key))
        if (positions.value((*at, key)).line, positions.value((*at, key)).col) in secret_at:
            continue
        where = f"in {_label(at)}" if at else "at the top level"
        hint = _did_you_mean(key, known) or f"expected one of: {', '.join(known)}"
        yield Diagnostic(pos, "unknown-key", f"unknown field `{key}` {where}", hint)


def _bad_key(error: ValidationError, at: YamlPath, positions: PositionMap) -> Diagnostic:
    key = str(error.instance)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    custom = schema.get("x-message", {})
    if isinstance(custom, Mapping) and error.validator in custom:
        message = str(custom[error.validator])
    elif error.validator == "minLength":
        message = "a name must not be empty"
    elif error.validator == "format":
        message = f"the name {error.cause}"
    else:
        message = error.message
    where = f" in {_label(at)}" if at else ""
    return Diagnostic(
        positions.key((*at, key)),
        "schema-key",
        f"`{key}`{where}: {message}",
        format_hint(str(error.validator_value))
        if error.validator == "format"
        else schema.get("x-hint", ""),
    )
