"""A yes/no check of a document against a shipped schema, compiled once into closures.

jsonschema's walk builds a validator object at every descent: on 1000 valid
component files it was half of the load phase, to find nothing. A valid document
has nothing to explain, so schema.py asks this check first and walks with
jsonschema only when the answer is not a sure yes; every diagnostic still comes
from jsonschema's errors.

The check answers as jsonschema (Draft 2020-12, the same format checker) would,
keyword by keyword, or raises `Unsure` where it does not know how (a keyword it
does not implement, items or values it does not compare): then jsonschema is asked.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]
# A format's function, as FormatChecker.checkers holds it: True, or raises one of `raises`.
Formats = Mapping[
    str, tuple[Callable[[object], bool], type[Exception] | tuple[type[Exception], ...]]
]
# The keywords jsonschema validates in Draft 2020-12 (Draft202012Validator.VALIDATORS, which a
# test compares); any other key is an annotation it skips, and so does the check.
VALIDATED = frozenset(
    {
        "$dynamicRef",
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contains",
        "dependentRequired",
        "dependentSchemas",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "prefixItems",
        "properties",
        "propertyNames",
        "required",
        "type",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
    }
)


# The most strings remembered as conforming, for each format in the schema.
_CONFORMING_MAX = 2048


class Unsure(Exception):
    """The check cannot say what jsonschema would say: ask jsonschema."""


def surely_valid(check: Check, instance: object) -> bool:
    """True only when jsonschema would find no error in `instance`."""
    try:
        return check(instance)
    except Unsure:
        return False
    except RecursionError:
        return False  # jsonschema's own walk then decides, and reports, as it always has


def compile_check(schema: object, formats: Formats) -> Check:
    """`schema` (its $refs already inlined) as one function of the instance; `formats` are the
    format checker's functions by name (jsonschema checks no other format)."""
    return _Compiler(formats).node(schema)


def _yes(instance: object) -> bool:
    return True


def _no(instance: object) -> bool:
    return False


def _unsure(instance: object) -> bool:
    raise Unsure


def _every(checks: tuple[Check, ...]) -> Check:
    if not checks:
        return _yes
    if len(checks) == 1:
        return checks[0]

    def check(instance: object) -> bool:
        # A loop, not all(): a generator per call costs twice as much on this hot path.
        for each in checks:  # noqa: SIM110
            if not each(instance):
                return False
        return True

    return check


def _is_integer(x: object) -> bool:
    # Draft 6 and later: 1.0 is an integer; a yes/no value is never a number.
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "integer": _is_integer,
    "number": _is_number,
}
_SCALARS = (str, int, float, bool, type(None))


def _equal(one: object, two: object) -> bool:
    """jsonschema's equality (True is not 1) where a side is a scalar; two lists or mappings
    are not compared here."""
    if not isinstance(one, _SCALARS) or not isinstance(two, _SCALARS):
        if isinstance(one, _SCALARS) and isinstance(two, list | dict):
            return False
        if isinstance(two, _SCALARS) and isinstance(one, list | dict):
            return False
        raise Unsure
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, bool) or isinstance(two, bool):
        return False  # one of them is not this very True or False
    return one == two


class _Compiler:
    def __init__(self, formats: Formats) -> None:
        self.formats = formats
        self.keywords: dict[str, Callable[[Any, Mapping[str, Any]], Check]] = {
            "type": self.type,
            "format": self.format,
            "properties": self.properties,
            "additionalProperties": self.additional_properties,
            "required": self.required,
            "dependentRequired": self.dependent_required,
            "propertyNames": self.property_names,
            "minProperties": self.min_properties,
            "items": self.items,
            "minItems": self.min_items,
            "maxItems": self.max_items,
            "uniqueItems": self.unique_items,
            "minLength": self.min_length,
            "pattern": self.pattern,
            "minimum": self.minimum,
            "enum": self.enum,
            "const": self.const,
            "not": self.not_,
            "if": self.if_,
            "allOf": self.all_of,
            "anyOf": self.any_of,
            "oneOf": self.one_of,
        }

    def node(self, schema: object) -> Check:
        if schema is True:
            return _yes
        if schema is False:
            return _no
        if not isinstance(schema, Mapping):
            return _unsure
        checks = []
        for keyword, value in schema.items():
            if keyword not in VALIDATED:
                continue  # an annotation (title, x-hint, then...): jsonschema skips it too
            compile_keyword = self.keywords.get(keyword)
            checks.append(compile_keyword(value, schema) if compile_keyword else _unsure)
        return _every(tuple(checks))

    def type(self, value: Any, schema: Mapping[str, Any]) -> Check:
        names = [value] if isinstance(value, str) else value
        if not all(isinstance(n, str) and n in _TYPES for n in names):
            return _unsure
        kinds = tuple(_TYPES[n] for n in names)
        if len(kinds) == 1:
            return kinds[0]
        return lambda x: any(kind(x) for kind in kinds)

    def format(self, value: Any, schema: Mapping[str, Any]) -> Check:
        if value not in self.formats:
            return _yes  # jsonschema checks only the formats its checker knows
        # What FormatChecker.conforms does, without its two calls on the way.
        func, raises = self.formats[value]
        # Strings found of this format: a format judges the text alone, and the same names,
        # commands and branches recur in every file. Bounded: a file's own values pass by.
        conforming: set[str] = set()

        def check(x: object) -> bool:
            if x.__class__ is str and x in conforming:  # exactly a str: True == 1 hashes alike
                return True
            try:
                found = bool(func(x))
            except raises:
                return False
            if found and x.__class__ is str and len(conforming) < _CONFORMING_MAX:
                conforming.add(x)
            return found

        return check

    def properties(self, value: Any, schema: Mapping[str, Any]) -> Check:
        subs = tuple((name, self.node(sub)) for name, sub in value.items())

        def check(x: object) -> bool:
            if not isinstance(x, dict):
                return True
            for name, sub in subs:  # noqa: SIM110 (hot path: see _every)
                if name in x and not sub(x[name]):
                    return False
            return True

        return check

    def additional_properties(self, value: Any, schema: Mapping[str, Any]) -> Check:
        if "patternProperties" in schema:
            return _unsure
        known = frozenset(schema.get("properties", {}))
        if isinstance(value, dict):
            sub = self.node(value)
            return lambda x: (
                not isinstance(x, dict) or all(sub(v) for k, v in x.items() if k not in known)
            )
        if not value:
            return lambda x: not isinstance(x, dict) or known.issuperset(x)
        return _yes

    def required(self, value: Any, schema: Mapping[str, Any]) -> Check:
        names = tuple(value)
        return lambda x: not isinstance(x, dict) or all(n in x for n in names)

    def dependent_required(self, value: Any, schema: Mapping[str, Any]) -> Check:
        pairs = tuple((name, tuple(needs)) for name, needs in value.items())
        return lambda x: (
            not isinstance(x, dict)
            or all(all(n in x for n in needs) for name, needs in pairs if name in x)
        )

    def property_names(self, value: Any, schema: Mapping[str, Any]) -> Check:
        sub = self.node(value)
        return lambda x: not isinstance(x, dict) or all(sub(k) for k in x)

    def min_properties(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda x: not isinstance(x, dict) or len(x) >= value

    def items(self, value: Any, schema: Mapping[str, Any]) -> Check:
        if "prefixItems" in schema or not isinstance(value, bool | Mapping):
            return _unsure
        sub = self.node(value)
        return lambda x: not isinstance(x, list) or all(sub(item) for item in x)

    def min_items(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda x: not isinstance(x, list) or len(x) >= value

    def max_items(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda x: not isinstance(x, list) or len(x) <= value

    def unique_items(self, value: Any, schema: Mapping[str, Any]) -> Check:
        if not value:
            return _yes

        def check(x: object) -> bool:
            if not isinstance(x, list):
                return True
            if not all(isinstance(item, str) for item in x):
                raise Unsure  # jsonschema's equality of mixed values is its own
            return len(set(x)) == len(x)

        return check

    def min_length(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda x: not isinstance(x, str) or len(x) >= value

    def pattern(self, value: Any, schema: Mapping[str, Any]) -> Check:
        search = re.compile(value).search  # jsonschema: re.search(pattern, instance)
        return lambda x: not isinstance(x, str) or search(x) is not None

    def minimum(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda x: not _is_number(x) or not x < value

    def enum(self, value: Any, schema: Mapping[str, Any]) -> Check:
        choices = tuple(value)
        return lambda x: any(_equal(choice, x) for choice in choices)

    def const(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return lambda x: _equal(x, value)

    def not_(self, value: Any, schema: Mapping[str, Any]) -> Check:
        sub = self.node(value)
        return lambda x: not sub(x)

    def if_(self, value: Any, schema: Mapping[str, Any]) -> Check:
        condition = self.node(value)
        then = self.node(schema["then"]) if "then" in schema else _yes
        otherwise = self.node(schema["else"]) if "else" in schema else _yes
        return lambda x: then(x) if condition(x) else otherwise(x)

    def all_of(self, value: Any, schema: Mapping[str, Any]) -> Check:
        return _every(tuple(self.node(sub) for sub in value))

    def any_of(self, value: Any, schema: Mapping[str, Any]) -> Check:
        subs = tuple(self.node(sub) for sub in value)
        return lambda x: any(sub(x) for sub in subs)

    def one_of(self, value: Any, schema: Mapping[str, Any]) -> Check:
        subs = tuple(self.node(sub) for sub in value)

        def check(x: object) -> bool:
            valid = 0
            for sub in subs:
                valid += sub(x)
                if valid > 1:
                    return False
            return valid == 1

        return check
