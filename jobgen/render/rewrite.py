"""Rewriting references in hand-written Groovy to deployed names, in place."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from jobgen.plan.model import Call

_SAFE = re.compile(r"[A-Za-z0-9_.\-/]+")


def rewrite_calls(source: str, calls: Sequence[Call], names: Mapping[str, str]) -> str:
    """`source` with each call's span (the name inside its quotes) replaced by `names[target]`."""
    out, last = [], 0
    for call in sorted(calls, key=lambda c: c.span or (0, 0)):
        assert call.span is not None, f"{call.target}: a call without a span cannot be rewritten"
        new = names[call.target]
        # Deployed names need no escaping inside any Groovy string literal; keep it so.
        assert _SAFE.fullmatch(new), f"unexpected characters in deployed name {new!r}"
        start, end = call.span
        out += [source[last:start], new]
        last = end
    out.append(source[last:])
    return "".join(out)
