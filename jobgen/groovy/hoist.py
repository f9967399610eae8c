"""The mocks' classes, compiled once for every script of a `jobgen test` run.

Every test-mode script carries the same library: its classes (JobgenState,
JobgenRun, the checks...) between `classes begin` and `classes end` marker
lines. Compiling them with every script cost about half of each script's
compile time, so the runner sends them to the driver once and blanks them in
each script line for line: every line number (the body's, the sandbox's
first line) stays where it was. A script run by hand keeps them.
"""

from __future__ import annotations

BEGIN = "// ---- jobgen: classes begin"
END = "// ---- jobgen: classes end ----"


def split_classes(text: str) -> tuple[str, str]:
    """The marked classes, and the text with each of their lines left empty."""
    classes: list[str] = []
    kept: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        if line.startswith(BEGIN):
            inside = True
        elif line.rstrip("\r\n") == END:
            inside = False
        if inside:
            classes.append(line)
            kept.append("\n")
        else:
            kept.append(line)
    return "".join(classes), "".join(kept)
