"""The build writer: what it writes, and the size and mtime it reports for each file."""

from __future__ import annotations

import os
from pathlib import Path

from jobgen.output.build_dir import write_build


def _found(build: Path, paths: object) -> dict[str, tuple[int, int]]:
    stats = {p: os.lstat(build / p) for p in paths}  # type: ignore[attr-defined]
    return {p: (s.st_size, s.st_mtime_ns) for p, s in stats.items()}


def test_each_file_written_or_found_unchanged_is_reported_with_its_size_and_mtime(artifacts):
    # The render cache trusts a file that kept these (incremental/rendered.py): they must
    # be the file's own, for one just written and for one found holding its bytes alike.
    build = Path("build")
    first = write_build(artifacts, build)
    assert first.written == len(first.signatures) > 0
    assert first.signatures == _found(build, first.signatures)
    again = write_build(artifacts, build)
    assert again.written == 0 and again.signatures == first.signatures


def test_a_file_edited_since_is_written_again_and_reported_as_it_now_is(artifacts):
    build = Path("build")
    first = write_build(artifacts, build)
    path = next(p for p in first.signatures if p.endswith(".xml"))
    original = (build / path).read_bytes()
    (build / path).write_bytes(original + b"edited")
    again = write_build(artifacts, build)
    assert again.written == 1 and (build / path).read_bytes() == original
    assert again.signatures == _found(build, first.signatures)
