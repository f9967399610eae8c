"""The call tree of a run: which block (stage, parallel branch, node, library step)
each call was made in, and the `within:` / `times:` parts of an expected call.

A tree item is `{step: args}`, plus `calls: [...]` under a block that made any
calls; a parallel branch is `{branch: name, calls: [...]}`, a level of the tree
but not a call (the flat list of calls leaves it out).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jobgen.groovy.values import call_line, flow, matches

CHILDREN = "calls"
BRANCH = "branch"
MODIFIERS = ("within", "times")


@dataclass(frozen=True)
class Made:
    """One call of a run and the blocks it was made in, outermost first."""

    call: dict[str, Any]
    enclosing: tuple[dict[str, Any], ...]


def head(item: Mapping[str, Any]) -> dict[str, Any]:
    """A tree item without its children: the call itself."""
    return {k: v for k, v in item.items() if k != CHILDREN}


def walk(tree: Sequence[Any], enclosing: tuple[dict[str, Any], ...] = ()) -> Iterator[Made]:
    """Every call of a tree in the order made, with the blocks around it."""
    for item in tree:
        if not isinstance(item, dict):
            continue
        call = head(item)
        if BRANCH not in call or len(call) > 1:
            yield Made(call, enclosing)
        yield from walk(item.get(CHILDREN) or (), (*enclosing, call))


def nested(calls: Sequence[Any]) -> bool:
    """Whether a list of calls (a golden file's) holds any nesting."""
    return any(isinstance(c, dict) and CHILDREN in c and len(c) > 1 for c in calls)


@dataclass(frozen=True)
class Wanted:
    """An expected call: the call itself, and optionally where and how often."""

    call: dict[str, Any]
    within: dict[str, Any]
    times: int | None


def wanted(item: Mapping[str, Any]) -> Wanted:
    """Split an expected call's `within:` and `times:` from the call (checked at load)."""
    call = {k: v for k, v in item.items() if k not in MODIFIERS}
    within = item.get("within")
    times = item.get("times")
    return Wanted(
        call,
        dict(within) if isinstance(within, dict) else {},
        times if isinstance(times, int) else None,
    )


def is_within(within: Mapping[str, Any], enclosing: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every `step: label` of `within` names a block around the call.

    A block's label is its arguments or its first argument, so `{stage: price}`
    matches `stage: [price, '{...}']` and `{node: linux}` matches `node: [linux, ...]`.
    """

    def around(step: str, label: Any) -> bool:
        for block in enclosing:
            if step not in block:
                continue
            args = block[step]
            first = args[0] if isinstance(args, list) and args else None
            if matches(label, args) or (first is not None and matches(label, first)):
                return True
        return False

    return all(around(step, label) for step, label in within.items())


def describe(item: Wanted) -> str:
    """`build: {job: x}` plus where and how often, for messages."""
    text = call_line(item.call)
    if item.within:
        text += " within " + ", ".join(f"{s} {flow(v)}" for s, v in item.within.items())
    if item.times is not None:
        text += f" {item.times} time{'s' if item.times != 1 else ''}"
    return text
