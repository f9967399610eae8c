"""Stapler's JSON export: `tree=` selection, `depth=` visibility, `_class` on every object."""

from __future__ import annotations

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
    """A `tree=` value that does not parse (Stapler: "Malformed tree expression", 500)."""


_SPECIAL = ",[]{}"


def parse_tree(text: str) -> Tree:
    """Parse `jobs[name,url,jobs[name]{0,10}]` as Stapler's NamedPathPruner does.

    A name is every character up to the next `,[]{}`: nothing is trimmed, so `name, url`
    asks for a property called " url". `*` matches every property of its level.
    """
    reader = _Reader(text)
    tree = Tree()
    _list(reader, tree)
    reader.expect("")
    return tree


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.pos, self.next = text, 0, 0

    def peek(self) -> str:
        """The next token: one of `,[]{}`, a name, or "" at the end."""
        if self.pos == len(self.text):
            self.next = self.pos
            return ""
        char = self.text[self.pos]
        if char in _SPECIAL:
            self.next = self.pos + 1
            return char
        ends = [i for i in (self.text.find(c, self.pos) for c in _SPECIAL) if i != -1]
        self.next = min(ends, default=len(self.text))
        return self.text[self.pos : self.next]

    def accept(self, token: str) -> bool:
        if self.peek() == token:
            self.pos = self.next
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.accept(token):
            raise TreeError(f"expected {_NAMES.get(token, token)} at {self.pos}")

    def number(self) -> int:
        token = self.peek()
        if not token.isdigit() or not token.isascii():
            raise TreeError(f"expected number at {self.pos}")
        self.pos = self.next
        return int(token)


_NAMES = {",": "COMMA", "[": "LBRACE", "]": "RBRACE", "{": "QLBRACE", "}": "QRBRACE", "": "EOF"}


def _list(reader: _Reader, tree: Tree) -> None:
    _node(reader, tree)
    while reader.accept(","):
        _node(reader, tree)


def _node(reader: _Reader, tree: Tree) -> None:
    name = reader.peek()
    if name in _NAMES:
        raise TreeError(f"expected name at {reader.pos}")
    reader.pos = reader.next
    sub = Tree()
    tree.fields[name] = sub
    if reader.accept("["):
        _list(reader, sub)
        reader.expect("]")
    if reader.accept("{"):
        sub.window = _window(reader)
        reader.expect("}")


def _window(reader: _Reader) -> tuple[int | None, int | None]:
    if reader.accept(","):
        return 0, reader.number()  # {,M}
    low = reader.number()
    if reader.peek() == "}":
        return low, low + 1  # {N}
    reader.expect(",")
    if reader.peek() == "}":
        return low, None  # {N,}
    return low, reader.number()  # {N,M}


def export(obj: Exported, tree: Tree | None, depth: int) -> dict[str, Any]:
    """The JSON-ready dict of `obj` as Jenkins' api/json would answer it."""
    return _object(obj, tree, depth, 0)


def _object(obj: Exported, tree: Tree | None, depth: int, nest: int) -> dict[str, Any]:
    out: dict[str, Any] = {"_class": obj.java_class}
    props = obj.props()
    if tree is not None:
        wildcard = tree.fields.get("*")
        if wildcard is None:  # the common case, kept fast for 20,000-job listings
            for name, sub in tree.fields.items():
                if name in props:
                    out[name] = _value(props[name][1](), sub, depth, nest + 1)
            return out
        for name, (_, getter) in props.items():
            out[name] = _value(getter(), tree.fields.get(name, wildcard), depth, nest + 1)
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
