"""The compiled check says "valid" only where jsonschema finds no error.

Every diagnostic comes from jsonschema's walk, which runs whenever the check is
not sure; a check that wrongly says "valid" would hide a user's error. So the
check is held against jsonschema itself on valid documents that reach every
field of the schema, on each of them with every value and key replaced in turn
by values of the wrong kind, and on the hostile fixtures of the loader.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from jobgen.load.formats import format_checker
from jobgen.load.schema import schema_validator
from jobgen.load.schema_check import VALIDATED, Check, Unsure, compile_check, surely_valid
from jobgen.load.yaml_nodes import parse_yaml
from tests.jobgen.hostile_fields_test import PAYLOADS, _base_documents

FIXTURES = Path(__file__).parent / "fixtures"
# Values of every JSON kind, the edges of each keyword (empty, repeated, True beside 1),
# and strings each format refuses (controls, a bidi override, a look-alike letter, lines).
WRONG: tuple[object, ...] = (
    None,
    True,
    1,
    1.0,
    2.5,
    "",
    "x",
    "Main",
    "а",  # Cyrillic
    "x\x01",
    "\u202e",
    "99 * * * *",
    PAYLOADS["newline"],
    [],
    ["x", "x"],
    [1, True],
    {"x": 1},
)


def _validator(name: str) -> Draft202012Validator:
    return schema_validator(name)


@cache
def _check(name: str) -> Check:
    return compile_check(_validator(name).schema, format_checker().checkers)


def _paths(doc: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, (*at, key))
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from _paths(item, (*at, i))


def _variants(doc: dict[str, Any]) -> Iterator[object]:
    """`doc` with one value replaced, one key dropped, renamed or added, for every place."""
    for at in _paths(doc):
        if not at:
            continue
        *parents, last = at
        for value in WRONG:
            changed = copy.deepcopy(doc)
            holder = _at(changed, parents)
            holder[last] = value
            yield changed
        if isinstance(last, str):
            dropped = copy.deepcopy(doc)
            del _at(dropped, parents)[last]
            yield dropped
            renamed = copy.deepcopy(doc)
            holder = _at(renamed, parents)
            holder[last.upper() + "_"] = holder.pop(last)
            yield renamed
        if isinstance(_at(doc, at), dict):
            added = copy.deepcopy(doc)
            _at(added, at)["zz_unknown"] = "x"
            yield added


def _at(doc: Any, path: Any) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _agrees(name: str, doc: object) -> bool:
    """The check's answer is jsonschema's, or the check says it is not sure."""
    try:
        answer = _check(name)(doc)
    except Unsure:
        return True
    return answer == _validator(name).is_valid(doc)


def test_valid_documents_are_surely_valid() -> None:
    for doc in _base_documents():
        assert _validator("component.schema.json").is_valid(doc)
        assert surely_valid(_check("component.schema.json"), doc)


@pytest.mark.parametrize("index", range(len(_base_documents())))
def test_every_wrong_value_key_and_drop_is_judged_as_jsonschema_judges_it(index: int) -> None:
    doc = _base_documents()[index]
    wrong = [v for v in _variants(doc) if not _agrees("component.schema.json", v)]
    assert wrong == []


def test_the_loader_fixtures_are_judged_as_jsonschema_judges_them() -> None:
    files = sorted(FIXTURES.glob("*.yaml"))
    assert len(files) > 10
    for file in files:
        parsed = parse_yaml(file.read_text(), str(file))
        name = "settings.schema.json" if file.name == "jobgen.yaml" else "component.schema.json"
        assert _agrees(name, parsed.value), file.name


def test_settings_documents_are_judged_as_jsonschema_judges_them() -> None:
    doc = {
        "jobgen": "0.1.0",
        "owner": "somesite-jobs",
        "defaults": {"requirements": {"labels": ["linux"]}},
        "repository": {"url": "https://git.example.com/jobs.git", "branch": "main"},
    }
    assert surely_valid(_check("settings.schema.json"), doc)
    assert all(_agrees("settings.schema.json", v) for v in _variants(doc))


EDGES: tuple[tuple[dict[str, Any], object], ...] = (
    ({"enum": [1, "a"]}, True),
    ({"enum": [1, "a"]}, 1.0),
    ({"enum": [True]}, 1),
    ({"enum": ["a"]}, ["a"]),
    ({"enum": [None]}, None),
    ({"const": False}, 0),
    ({"const": 0}, 0.0),
    ({"type": "integer"}, 1.0),
    ({"type": "integer"}, True),
    ({"type": "number"}, False),
    ({"type": ["string", "null"]}, None),
    ({"minimum": 1}, True),
    ({"minimum": 1}, 0.5),
    ({"uniqueItems": True}, ["a", "b", "a"]),
    ({"not": {"type": "string"}}, "x"),
    ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, "x"),
    ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, 3),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, 3),
    ({"if": {"const": "a"}, "then": {"minLength": 2}, "else": {"maxLength": 0}}, "a"),
    ({"if": {"const": "a"}, "then": {"minLength": 2}}, "b"),
    ({"properties": {"a": {}}, "additionalProperties": {"type": "string"}}, {"b": 1}),
    ({"items": False}, []),
    ({"items": False}, [1]),
    ({"propertyNames": {"pattern": "^[a-z]+$"}}, {"A": 1}),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}),
    ({"required": ["a"], "minProperties": 2}, {"a": 1}),
    ({"maxItems": 1, "minItems": 1}, [1, 2]),
    ({"format": "email"}, "not an address"),
    ({"format": "no-such-format"}, "x"),
)


@pytest.mark.parametrize(("schema", "instance"), EDGES)
def test_each_keyword_answers_as_jsonschema_on_its_edges(
    schema: dict[str, Any], instance: object
) -> None:
    try:
        answer = compile_check(schema, format_checker().checkers)(instance)
    except Unsure:
        return
    assert answer == Draft202012Validator(schema, format_checker=format_checker()).is_valid(
        instance
    )


def test_a_keyword_the_check_does_not_know_leaves_the_answer_to_jsonschema() -> None:
    schema = {"type": "array", "contains": {"const": "x"}}
    check = compile_check(schema, format_checker().checkers)
    assert not surely_valid(check, ["x"])
    assert not surely_valid(
        compile_check({"uniqueItems": True}, format_checker().checkers), [1, True]
    )
    assert surely_valid(
        compile_check({"title": "only an annotation"}, format_checker().checkers), ["x"]
    )


def test_the_check_knows_which_keywords_jsonschema_validates() -> None:
    assert set(Draft202012Validator.VALIDATORS) == VALIDATED


def test_valid_files_are_loaded_without_importing_jsonschema(tmp_path: Path) -> None:
    # Its import is a tenth of a second of every command that loads; only errors need it.
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "valid.yaml").write_text((FIXTURES / "valid.yaml").read_text())
    script = (
        "import sys; from pathlib import Path; from jobgen.load.loader import load; "
        "result = load([Path('components')]); "
        "print(len(result.repo.components), 'jsonschema' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "False"]
