"""Patching sorted lines in place gives what splitting, editing and joining them gives."""

from __future__ import annotations

import bisect
import json
import random

import pytest

from jobgen.output.sorted_lines import SEPARATOR, SortedLines, keyed, merged


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


@pytest.mark.parametrize("seed", range(20))
def test_keyed_runs_merge_as_a_stable_sort_of_them_all(seed):
    # The processes' shares of the manifest (build_dir.py): each sorted where it was made,
    # merged by the parent; equal keys keep the runs' order, as sorting them all would.
    chooser = random.Random(seed)
    pairs = [(chooser.choice("abcdefgh") * chooser.randint(1, 3), f"line {n}") for n in range(60)]
    runs = [[] for _ in range(chooser.randint(1, 4))]
    for start in range(0, len(pairs), 5):  # in runs of items, as parallel.py claims them
        chooser.choice(runs).extend(pairs[start : start + 5])
    keys, lines = merged([keyed(list(run)) for run in runs])
    expected = sorted([pair for run in runs for pair in run], key=lambda pair: pair[0])
    assert list(zip(keys, lines, strict=True)) == expected
