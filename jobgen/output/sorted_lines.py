"""Sorted lines inside a large text, patched without splitting the text into lines.

The manifest's job and stable-job sections are 9 MB of one-line JSON entries for
1000 components, sorted by name. A one-component compile takes out a dozen lines
and puts in a dozen: found by searching the text and by bisecting on offsets, the
lines left alone stay a few slices instead of 19,000 strings split and joined again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

SEPARATOR = ",\n"  # between two lines; a line holds no line break (JSON escapes them)

Span = tuple[int, int]  # a line's start and end in the text, its separator left out


@dataclass(frozen=True)
class SortedLines:
    """The lines of `text[start:end]`, joined by SEPARATOR and sorted by a key of each."""

    text: str
    start: int
    end: int  # start == end: no line at all

    def count(self) -> int:
        return 0 if self.start == self.end else self.text.count("\n", self.start, self.end) + 1

    def line(self, span: Span) -> str:
        return self.text[span[0] : span[1]]

    def containing(self, marker: str) -> list[Span]:
        """Each line in which `marker` occurs, in order."""
        spans = []
        at = self.text.find(marker, self.start, self.end)
        while at >= 0:
            span = self._line_at(at, self.start)
            spans.append(span)
            at = self.text.find(marker, span[1], self.end)
        return spans

    def insertion(self, key: str, key_of: Callable[[str], str]) -> int:
        """Where a line whose key is `key` goes: the start of the first line whose key is
        above it, or `end` (after equal keys, as bisect.insort does)."""
        low, high = self.start, self.end  # each a line's start, or end
        while low < high:
            start, end = self._line_at((low + high) // 2, low)
            if key_of(self.text[start:end]) <= key:
                low = self._after(end)
            else:
                high = start
        return low

    def patched(
        self, removed: Sequence[Span], added: Sequence[str], key_of: Callable[[str], str]
    ) -> list[str]:
        """The lines without those at `removed` and with `added` in their places, as pieces
        to join with SEPARATOR (each a line or a run of lines already joined): the caller
        joins them with the rest of its text at once (build_dir.manifest_text)."""
        # Places are found among the lines as they are: a removed line only ever has a new
        # line put before it, and an insertion sorts before a removal at the same place.
        edits = sorted(
            [(self.insertion(key_of(line), key_of), 0, key_of(line), line) for line in added]
            + [(start, 1, "", self.text[start:end]) for start, end in removed]
        )
        pieces: list[str] = []
        cursor = self.start
        for at, kind, _, line in edits:
            pieces.append(self._run(cursor, at))
            if kind == 0:
                pieces.append(line)
                cursor = at
            else:
                cursor = self._after(at + len(line))
        pieces.append(self._run(cursor, self.end))
        return [piece for piece in pieces if piece]

    def _line_at(self, at: int, low: int) -> Span:
        """The line holding offset `at`; `low` is a line's start at or before it."""
        before = self.text.rfind("\n", low, at)
        start = low if before < 0 else before + 1
        after = self.text.find("\n", at, self.end)
        return start, self.end if after < 0 else after - 1  # the separator's comma left out

    def _after(self, end: int) -> int:
        """The start of the line after the one ending at `end` (`self.end` after the last)."""
        return self.end if end >= self.end else end + len(SEPARATOR)

    def _run(self, start: int, end: int) -> str:
        """The whole lines from `start` to the line starting at `end`, joined."""
        if start >= end:
            return ""
        return self.text[start:end] if end == self.end else self.text[start : end - len(SEPARATOR)]


# Lines with the key of each (a name, a path), as two lists in the keys' order: pickled
# from a forked renderer to the parent at half the cost of a tuple a line, and read back in
# half the time (the parent's, alone: 13,000 lines of each child for 1000 components).
Keyed = tuple[list[str], list[str]]

_KEY = itemgetter(0)


def keyed(pairs: list[tuple[str, str]]) -> Keyed:
    """(key, line) pairs as Keyed, sorted by key (in place; equal keys keep their order)."""
    pairs.sort(key=_KEY)
    return [key for key, _ in pairs], [line for _, line in pairs]


def merged(runs: Sequence[Keyed]) -> Keyed:
    """Keyed lines sorted each as one, in their keys' order; equal keys in the runs' order
    (as a stable sort of them all). The processes' shares interleave in long runs (each
    claims runs of 32 jobs: parallel.py), each copied whole between two bisections."""
    if not runs:
        return [], []
    keys, lines = runs[0]
    for more_keys, more_lines in runs[1:]:
        keys, lines = _two(keys, lines, more_keys, more_lines)
    return keys, lines


def _two(keys: list[str], lines: list[str], more_keys: list[str], more_lines: list[str]) -> Keyed:
    out_keys: list[str] = []
    out_lines: list[str] = []
    i, j, end, more_end = 0, 0, len(keys), len(more_keys)
    while i < end and j < more_end:
        if keys[i] <= more_keys[j]:  # the first run's, up to a key above the other's next
            k = bisect_right(keys, more_keys[j], i)
            out_keys += keys[i:k]
            out_lines += lines[i:k]
            i = k
        else:  # the second run's, up to a key the first's next equals or is below
            k = bisect_left(more_keys, keys[i], j)
            out_keys += more_keys[j:k]
            out_lines += more_lines[j:k]
            j = k
    out_keys += keys[i:]
    out_lines += lines[i:]
    out_keys += more_keys[j:]
    out_lines += more_lines[j:]
    return out_keys, out_lines
