"""Stapler's JSON export: `tree=` selection, `depth=` visibility, `_class` on every object."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

DEFAULT = 1  # Stapler's default property visibility
ALWAYS = 999  # name/url and other properties visible at any nesting

Props = dict[str, tuple[int, Callable[[], Any]]]


class Exported(Protocol):
    """An object with a Java class name and its exported properties."""

    @property
    def java_class(self) -> str:
        """The Java class name Jenkins puts in `_class`."""
        ...

    def props(self) -> Props:
        """Property name -> (visibility, getter)."""
        ...


@dataclass
class Tree:
    """A parsed `tree=` level: wanted property names, each with its own sub-tree and range."""

    fields: dict[str, Tree] = field(default_factory=dict)
    window: tuple[int | None, int | None] | None = None


class TreeError(ValueError):
    """A `tree=` value that does not parse (Jenkins answers 400)."""


_TOKEN = re.compile(r"\s*([A-Za-z0-9_$.\-]+|\[|\]|,|\{[^}]*\})")


def parse_tree(text: str) -> Tree:
    """Parse `jobs[name,url,jobs[name]{0,10}]` into nested Trees."""
    tokens = _tokens(text)
    tree, rest = _parse_level(tokens, 0)
    if rest != len(tokens):
        raise TreeError(f"unexpected {tokens[rest]!r} in tree")
    return tree


def _tokens(text: str) -> list[str]:
    found, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match:
            raise TreeError(f"cannot parse tree at {text[pos:]!r}")
        found.append(match.group(1))
        pos = match.end()
    return found


def _parse_level(tokens: list[str], pos: int) -> tuple[Tree, int]:
    tree = Tree()
    while pos < len(tokens) and tokens[pos] != "]":
        name = tokens[pos]
        if name in ("[", ",") or name.startswith("{"):
            raise TreeError(f"unexpected {name!r} in tree")
        sub, pos = Tree(), pos + 1
        if pos < len(tokens) and tokens[pos] == "[":
            sub, pos = _parse_level(tokens, pos + 1)
            if pos >= len(tokens) or tokens[pos] != "]":
                raise TreeError("unbalanced [ in tree")
            pos += 1
        if pos < len(tokens) and tokens[pos].startswith("{"):
            sub.window, pos = _window(tokens[pos]), pos + 1
        tree.fields[name] = sub
        if pos < len(tokens) and tokens[pos] == ",":
            pos += 1
    return tree, pos


def _window(token: str) -> tuple[int | None, int | None]:
    inner = token[1:-1]
    low, sep, high = inner.partition(",")
    try:
        start = int(low) if low else None
        if not sep:
            return start, (start + 1 if start is not None else None)
        return start, int(high) if high else None
    except ValueError as error:
        raise TreeError(f"bad range {token}") from error


def export(obj: Exported, tree: Tree | None, depth: int) -> dict[str, Any]:
    """The JSON-ready dict of `obj` as Jenkins' api/json would answer it."""
    return _object(obj, tree, depth, 0)


def _object(obj: Exported, tree: Tree | None, depth: int, nest: int) -> dict[str, Any]:
    out: dict[str, Any] = {"_class": obj.java_class}
    props = obj.props()
    if tree is not None:
        for name, sub in tree.fields.items():
            if name in props:
                out[name] = _value(props[name][1](), sub, depth, nest + 1)
        return out
    for name, (visibility, getter) in props.items():
        if visibility >= nest + 1 - depth:
            out[name] = _value(getter(), None, depth, nest + 1)
    return out


def _value(value: Any, tree: Tree | None, depth: int, nest: int) -> Any:
    if isinstance(value, list):
        if tree is not None and tree.window is not None:
            value = value[tree.window[0] : tree.window[1]]
        return [_value(v, tree, depth, nest) for v in value]
    if hasattr(value, "java_class") and hasattr(value, "props"):
        return _object(value, tree, depth, nest)
    return value
