"""Rewriting references in hand-written Groovy to deployed names, in place."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from jobgen.plan.model import Call

# Deployed names and folder paths need no escaping inside any Groovy string literal
# (no quote, backslash, `$` or newline); anything else means a bug upstream.
_SAFE = re.compile(r"[A-Za-z0-9_.\-/]+")


RESOLVER = "jobgenDeployedName"


def rewrite_calls(
    source: str,
    calls: Sequence[Call],
    names: Mapping[str, str],
    dynamic: Sequence[tuple[int, int]] = (),
) -> str:
    """`source` with each call's span (the name inside its quotes) replaced by `names[target]`.

    Each `dynamic` span (a job name computed at run time) is wrapped in a call
    to the resolver that `resolver_source` defines.
    """
    edits: list[tuple[int, int, str]] = []
    for call in calls:
        assert call.span is not None, f"{call.target}: a call without a span cannot be rewritten"
        start, end = call.span
        # A span from another version of the source would corrupt it silently.
        assert source[start:end] == call.target, f"stale span for {call}"
        new = names[call.target]
        assert _SAFE.fullmatch(new), f"unexpected characters in deployed name {new!r}"
        edits.append((start, end, new))
    edits += [(start, end, f"{RESOLVER}({source[start:end]})") for start, end in dynamic]
    out, last = [], 0
    for start, end, new in sorted(edits):
        assert start >= last, f"overlapping rewrites at {start}"
        out += [source[last:start], new]
        last = end
    out.append(source[last:])
    return "".join(out)
