"""Patching sorted lines in place gives what splitting, editing and joining them gives."""

from __future__ import annotations

import bisect
import json
import random

from jobgen.output.sorted_lines import SEPARATOR, SortedLines


def _name(line: str) -> str:
    return str(json.loads(line)["name"])


def _line(name: str, component: str) -> str:
    return json.dumps({"component": component, "name": name}, sort_keys=True)


def _embedded(lines: list[str]) -> SortedLines:
    # As in the manifest: other text before and after the section.
    head, body = '{\n"jobs": [\n', SEPARATOR.join(lines)
    text = head + body + "\n]\n}\n"
    return SortedLines(text, len(head), len(head) + len(body))


def _expected(lines: list[str], component: str, added: list[str]) -> str:
    kept = [line for line in lines if json.loads(line)["component"] != component]
    for line in added:
        bisect.insort(kept, line, key=_name)
    return SEPARATOR.join(kept)


def test_random_patches_equal_split_edit_join():
    generator = random.Random(17)
    for _ in range(400):
        names = sorted(
            {f"{generator.choice('abcxyz')}{generator.randrange(30)}" for _ in range(40)}
        )[: generator.randrange(0, 25)]
        lines = [_line(name, generator.choice(["c1", "c2", "c3"])) for name in names]
        section = _embedded(lines)
        assert section.count() == len(lines)
        marker = '"component": "c2"'
        removed = section.containing(marker)
        assert [section.line(span) for span in removed] == [
            line for line in lines if marker in line
        ]
        fresh = {f"{generator.choice('abcxyz')}{generator.randrange(30)}" for _ in range(6)}
        added = [_line(name, "c2") for name in sorted(fresh - set(names))]
        generator.shuffle(added)
        assert SEPARATOR.join(section.patched(removed, added, _name)) == _expected(
            lines, "c2", added
        )


def test_an_empty_section_takes_the_new_lines_in_order():
    section = _embedded([])
    assert section.count() == 0
    added = [_line("b", "c"), _line("a", "c")]
    assert section.patched([], added, _name) == sorted(added, key=_name)


def test_a_line_goes_after_the_lines_whose_key_is_not_above_its_own():
    lines = [_line(name, "x") for name in ("a", "c", "e")]
    section = _embedded(lines)
    starts = [section.text.index(line) for line in lines]
    assert section.insertion("a", _name) == starts[1]
    assert section.insertion("b", _name) == starts[1]
    assert section.insertion("0", _name) == starts[0]
    assert section.insertion("f", _name) == section.end
