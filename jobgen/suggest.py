"""The known name closest to a mistyped one, for the `did you mean` of a message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `word` (difflib's ratio at least `cutoff`), else None.

    difflib.get_close_matches indexes `word` before it looks at any choice: a second
    for a 10 MB value, once per hint. A choice whose length alone keeps the ratio under
    the cutoff can never match (difflib's own first test, real_quick_ratio), so it is
    dropped first, and a word that no choice can match is never indexed: same answer.
    """
    within = [c for c in choices if _length_bound(len(word), len(c)) >= cutoff]
    close = difflib.get_close_matches(word, within, n=1, cutoff=cutoff) if within else []
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'did you mean `x`?' when one choice is close to `word`, else ''."""
    close = closest(word, choices)
    return f"did you mean `{close}`?" if close is not None else ""


def _length_bound(a: int, b: int) -> float:
    """difflib.SequenceMatcher.real_quick_ratio for lengths `a` and `b`, computed as it does."""
    return 2.0 * min(a, b) / (a + b) if a + b else 1.0
