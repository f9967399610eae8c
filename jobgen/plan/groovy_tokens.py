"""A small Groovy tokenizer: enough to tell code from comments and strings.

It knows line and block comments, single/double/triple-quoted strings,
slashy and dollar-slashy strings, identifiers, numbers and punctuation.
Every token keeps its character span, so references can be rewritten in
place without disturbing anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["ident", "string", "punct", "newline", "number"]

_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"\d[\w.]*")
_QUOTES = ("'''", '"""', "'", '"')
# After these a `/` starts a slashy string; after a value it is a division.
_SLASHY_AFTER = set("([{,=:!&|?+-*%<>~;") | {"newline", "start", "return"}


@dataclass(frozen=True)
class Token:
    """A token and its [start, end) span; strings also carry the span of their contents."""

    kind: Kind
    text: str
    start: int
    end: int
    inner: tuple[int, int] = (0, 0)
    interpolated: bool = False  # a GString with `$`: its value is computed at run time


def tokenize(source: str) -> Iterator[Token]:
    """The tokens of `source`, comments and whitespace (other than newlines) left out."""
    i, n = 0, len(source)
    previous = "start"
    while i < n:
        char = source[i]
        if char == "\n":
            yield Token("newline", "\n", i, i + 1)
            previous = "newline"
            i += 1
        elif char in " \t\r\f\\":
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif source.startswith("$/", i):
            token = _delimited(source, i, "$/", "/$", escapes=False)
            yield token
            previous, i = "string", token.end
        elif char in "'\"":
            token = _quoted(source, i)
            yield token
            previous, i = "string", token.end
        elif char == "/" and previous in _SLASHY_AFTER:
            token = _delimited(source, i, "/", "/", escapes=True)
            yield token
            previous, i = "string", token.end
        elif match := _IDENT.match(source, i):
            yield Token("ident", match.group(), i, match.end())
            previous = "return" if match.group() == "return" else "ident"
            i = match.end()
        elif match := _NUMBER.match(source, i):
            yield Token("number", match.group(), i, match.end())
            previous, i = "number", match.end()
        else:
            yield Token("punct", char, i, i + 1)
            previous, i = char, i + 1


def _quoted(source: str, start: int) -> Token:
    quote = next(q for q in _QUOTES if source.startswith(q, start))
    return _delimited(source, start, quote, quote, escapes=True)


def _delimited(source: str, start: int, opening: str, closing: str, escapes: bool) -> Token:
    i = start + len(opening)
    interpolated = False
    double = opening in ('"', '"""', "/", "$/")
    while i < len(source):
        if escapes and source[i] == "\\":
            i += 2
            continue
        if source.startswith(closing, i):
            end = i + len(closing)
            inner = (start + len(opening), i)
            return Token("string", source[start:end], start, end, inner, interpolated)
        if double and source[i] == "$":
            interpolated = True
        if source[i] == "\n" and len(opening) == 1 and opening in "'\"":
            break  # a one-line string left open: stop at the line's end
        i += 1
    end = min(i, len(source))
    return Token("string", source[start:end], start, end, (start + len(opening), end), interpolated)
