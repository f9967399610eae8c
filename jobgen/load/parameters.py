"""Typed job parameters: `type:` string (the default), text, boolean, choice, credentials,
node or label, each rendered as Jenkins' own parameter definition.

The schema checks each field alone; here the fields are checked together:
a default must suit its type (a boolean default is true or false, a choice
default is one of the choices), `choices:` belongs to `type: choice` only, and
a parameter that always has a value cannot be `required:`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import cast

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import ParameterType
from jobgen.load.yaml_nodes import PositionMap, YamlPath

TYPES = ("string", "text", "boolean", "choice", "credentials", "node", "label")
# Jenkins always gives these a value (a boolean is false, a choice its first entry).
_ALWAYS_SET = ("boolean", "choice")


def param_type(param: Mapping[str, object]) -> ParameterType:
    """The parameter's `type:`, string when absent (or unknown: the schema reports it)."""
    kind = param.get("type")
    return cast(ParameterType, kind) if kind in TYPES else "string"


def check_parameters(doc: object, positions: PositionMap) -> list[Diagnostic]:
    """Every parameter of every hand-written job whose fields disagree with each other."""
    jobs = doc.get("jobs") if isinstance(doc, Mapping) else None
    if not isinstance(jobs, Mapping):
        return []
    found: list[Diagnostic] = []
    for job, spec in jobs.items():
        params = spec.get("parameters") if isinstance(spec, Mapping) else None
        if not isinstance(params, Mapping):
            continue
        for name, param in params.items():
            if isinstance(param, Mapping):
                found += _check(param, ("jobs", job, "parameters", name), positions)
    return found


def _check(
    param: Mapping[str, object], at: YamlPath, positions: PositionMap
) -> Iterator[Diagnostic]:
    kind = param.get("type", "string")
    if kind not in TYPES:
        return  # the schema says which types there are
    name = at[-1]
    choices = param.get("choices")
    if kind == "choice" and not isinstance(choices, list):
        yield Diagnostic(
            positions.key(at),
            "parameter-choices",
            f"parameter {name}: type choice needs `choices: [...]`",
            "list the values to choose from; the first one is the default",
        )
    if kind != "choice" and choices is not None:
        yield Diagnostic(
            positions.key((*at, "choices")),
            "parameter-choices",
            f"parameter {name}: `choices:` needs `type: choice`",
        )
    if kind in _ALWAYS_SET and param.get("required") is True:
        yield Diagnostic(
            positions.key((*at, "required")),
            "parameter-required",
            f"parameter {name}: a {kind} parameter always has a value; it cannot be required",
        )
    if "default" in param:
        yield from _check_default(
            str(name), kind, param["default"], choices, (*at, "default"), positions
        )


def _check_default(
    name: str, kind: object, default: object, choices: object, at: YamlPath, positions: PositionMap
) -> Iterator[Diagnostic]:
    pos = positions.value(at)
    if kind == "boolean" and not isinstance(default, bool):
        yield Diagnostic(
            pos, "parameter-default", f"parameter {name}: a boolean's default is true or false"
        )
    elif kind != "boolean" and isinstance(default, bool):
        hint = "write `type: boolean`, or quote it for text: 'true'"
        yield Diagnostic(
            pos,
            "parameter-default",
            f"parameter {name}: a {kind} default cannot be true/false",
            hint,
        )
    elif kind == "choice" and isinstance(choices, list):
        written = positions.text(at) or str(default)
        texts = [positions.text((*at[:-1], "choices", i)) or str(c) for i, c in enumerate(choices)]
        if written not in texts:
            yield Diagnostic(
                pos,
                "parameter-default",
                f"parameter {name}: default {written!r} is not one of the choices",
                f"choose one of: {', '.join(texts)}",
            )
    elif kind == "credentials" and isinstance(default, str) and any(c.isspace() for c in default):
        yield Diagnostic(
            pos,
            "parameter-default",
            f"parameter {name}: a credentials default is a credential id, not a value",
            "store the secret in Jenkins and write its id, e.g. `deploy-key`",
        )
