"""The manifest's lines and layout: what json writes, in the layout build_patch.py reads."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest

from jobgen.output.build_dir import write_build
from jobgen.output.manifest_lines import manifest_text

SEP = ",\n"


@pytest.mark.parametrize("sizes", list(itertools.product(range(3), repeat=3)))
def test_the_manifest_in_one_join_is_the_layout_a_patch_reads_back(sizes):
    # build_patch.py reads the manifest back line by line, in exactly this layout: one
    # line an entry, empty sections and sections of one line included.
    aliases, files, jobs = (
        [line.format(n) for n in range(size)]
        for line, size in zip(('"a{}"', '"f{}": "sha"', '"j{}"'), sizes, strict=True)
    )

    def section(lines: list[str], opener: str, closer: str, empty: str) -> str:
        return opener + "\n" + SEP.join(lines) + "\n" + closer if lines else empty

    sections = [
        '"aliases": ' + section(aliases, "[", "]", "[]"),
        '"files": ' + section(files, "{", "}", "{\n\n}"),
        '"jobs": ' + section(jobs, "[", "]", "[]"),
    ]
    joined = "{\n" + SEP.join(sections) + "\n}\n"
    assert manifest_text(aliases, files, jobs) == joined
    assert json.loads(joined) is not None


def test_each_manifest_line_is_what_json_writes_of_the_entry(artifacts, tmp_path):
    # The lines are written key by key (build_dir._job_line): they must stay exactly
    # json.dumps(entry, sort_keys=True), whatever the strings hold.
    odd = 'q"uote \\ back\tslash é ☃ \U0001f600'
    jobs = [*artifacts.jobs]
    jobs += [
        dataclasses.replace(
            jobs[0], full_name="odd/odd", deployed_name=odd, git_hash=odd, plugins=()
        ),
        dataclasses.replace(
            jobs[-1],
            full_name="odd/no-calls",
            job=dataclasses.replace(jobs[-1].job, calls=()),
            version=0,
        ),
    ]
    aliases = [
        *artifacts.aliases,
        dataclasses.replace(artifacts.aliases[0], full_name="odd/alias", target=odd),
    ]
    build = tmp_path / "build"
    write_build(dataclasses.replace(artifacts, jobs=tuple(jobs), aliases=tuple(aliases)), build)
    manifest = json.loads((build / "manifest.json").read_text())
    lines = {line.rstrip(",") for line in (build / "manifest.json").read_text().split("\n")}
    for entry in [*manifest["jobs"], *manifest["aliases"]]:
        assert json.dumps(entry, sort_keys=True) in lines
    assert {(e["name"], e["git_hash"]) for e in manifest["jobs"]} >= {(jobs[0].job.name, odd)}
    assert any(e["target"] == odd for e in manifest["aliases"])
