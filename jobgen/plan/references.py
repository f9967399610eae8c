"""The jobs a hand-written orchestration calls: every real `build` reference in its Groovy.

Recognised: `build('x')`, `build("x")`, `build job: 'x', ...`,
`build(job: "x", parameters: ..., wait: false, propagate: false)`, across
lines and in any argument order, also inside a GString's `${...}`. A job
name in a comment or in an unrelated string is not a reference. A computed
name (`build("x-${y}")`, `build(job: name)`) is returned as dynamic, for the
planner to check against `may_call`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from jobgen.diagnostics import SourcePos
from jobgen.plan.evolve import evolve
from jobgen.plan.groovy_tokens import Token, tokenize
from jobgen.plan.model import Call

_OPEN, _CLOSE = "([{", ")]}"
# Words after which an expression starts; after any other word `build` is being declared.
_EXPRESSION_AFTER = {"return", "else", "assert", "throw", "in", "case", "yield", "do"}


@dataclass(frozen=True)
class DynamicCall:
    """A `build` whose job name is computed at run time: the expression and its span."""

    pos: SourcePos
    text: str
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Scan:
    """Literal references (with spans to rewrite) and dynamic ones."""

    calls: tuple[Call, ...]
    dynamic: tuple[DynamicCall, ...]


def scan_references(source: str, path: str) -> Scan:
    """Every `build` reference in `source`, a Groovy file at `path`."""
    lines = _line_starts(source)
    calls: list[Call] = []
    dynamic: list[DynamicCall] = []
    _scan(source, (0, len(source)), path, lines, calls, dynamic)
    calls.sort(key=lambda call: call.pos)
    dynamic.sort(key=lambda ref: ref.pos)
    return Scan(tuple(calls), tuple(dynamic))


def _scan(
    source: str,
    region: tuple[int, int],
    path: str,
    lines: list[int],
    calls: list[Call],
    dynamic: list[DynamicCall],
) -> None:
    """The references in source[start:end]; `${...}` inside GStrings is code too."""
    tokens = _tokens(source, region)
    for i, token in enumerate(tokens):
        if token.kind == "string" and token.interpolated:
            for inner in _interpolations(source, token):
                _scan(source, inner, path, lines, calls, dynamic)
        if not _is_build_call(tokens, i):
            continue
        job = _job_argument(_arguments(tokens, i + 1))
        if job is None:
            continue
        pos = _pos(path, lines, job.start)
        if job.kind == "string" and not job.interpolated:
            calls.append(Call(source[job.inner[0] : job.inner[1]], pos, job.inner))
        else:
            dynamic.append(DynamicCall(pos, source[job.start : job.end], (job.start, job.end)))


def _tokens(source: str, region: tuple[int, int]) -> list[Token]:
    """Tokens of a region, with spans counted in the whole source."""
    start, end = region
    tokens = list(tokenize(source[start:end]))
    if start == 0:
        return tokens
    return [
        evolve(t, start=t.start + start, end=t.end + start, inner=_shift(t.inner, start))
        for t in tokens
    ]


def _shift(span: tuple[int, int], by: int) -> tuple[int, int]:
    return (span[0] + by, span[1] + by)


def _interpolations(source: str, token: Token) -> Iterator[tuple[int, int]]:
    """The code regions of a GString's `${...}` placeholders."""
    i, limit = token.inner
    while (i := source.find("${", i, limit)) >= 0:
        if _escaped(source, token.inner[0], i):
            i += 2  # `\${` is a literal dollar
            continue
        end = _closing_brace(source, i + 2, limit)
        yield (i + 2, end)
        i = end


def _escaped(source: str, start: int, i: int) -> bool:
    """True when an odd number of backslashes (after `start`) precede source[i]."""
    j = i
    while j > start and source[j - 1] == "\\":
        j -= 1
    return (i - j) % 2 == 1


def _closing_brace(source: str, start: int, limit: int) -> int:
    depth = 0
    for token in tokenize(source[start:limit]):
        if token.kind == "punct" and token.text == "{":
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            if depth == 0:
                return start + token.start
            depth -= 1
    return limit


def _is_build_call(tokens: Sequence[Token], i: int) -> bool:
    token = tokens[i]
    if token.kind != "ident" or token.text != "build":
        return False
    before = tokens[i - 1] if i > 0 else None
    declared = before is not None and (before.text in (".", "def") or before.kind == "ident")
    if declared and before is not None and before.text not in _EXPRESSION_AFTER:
        return False  # a method of something else, or the definition of one
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return after is not None and (after.text == "(" or after.kind in ("ident", "string"))


def _arguments(tokens: Sequence[Token], i: int) -> list[list[Token]]:
    """The top-level arguments after `build`, each a list of tokens."""
    parens = i < len(tokens) and tokens[i].text == "("
    i += 1 if parens else 0
    depth = 0
    args: list[list[Token]] = []
    current: list[Token] = []
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token.text in _OPEN and token.kind == "punct":
            depth += 1
        elif token.text in _CLOSE and token.kind == "punct":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and token.text == "," and token.kind == "punct":
            args.append(current)
            current = []
            continue
        elif token.kind == "newline" and depth == 0 and not parens:
            if current or not args:
                break  # the end of a command-style call (a trailing comma continues it)
            continue
        if token.kind != "newline":
            current.append(token)
    if current:
        args.append(current)
    return args


def _job_argument(args: list[list[Token]]) -> Token | None:
    """The token naming the job: the first positional argument or the `job:` named one."""
    for arg in args:
        if len(arg) >= 3 and _key(arg[0]) == "job" and arg[1].text == ":":
            return _single(arg[2:])
    if args and not (len(args[0]) >= 2 and args[0][1].text == ":"):
        return _single(args[0])
    return None


def _key(token: Token) -> str:
    """A named argument's key: `job` and `'job'` are the same key."""
    if token.kind == "string" and not token.interpolated:
        return token.text[1:-1] if len(token.text) >= 2 else ""
    return token.text


def _single(tokens: list[Token]) -> Token:
    # One plain string is a literal name; anything else is an expression, computed at run time.
    if len(tokens) == 1:
        return tokens[0]
    first = tokens[0]
    return Token(first.kind, first.text, first.start, tokens[-1].end, first.inner, True)


def _line_starts(source: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, char in enumerate(source) if char == "\n"]
    return starts


def _pos(path: str, lines: list[int], offset: int) -> SourcePos:
    line = bisect.bisect_right(lines, offset)
    return SourcePos(path, line, offset - lines[line - 1] + 1)
