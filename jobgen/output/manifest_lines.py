"""The manifest's text: one line a job, stable job or file, each section sorted.

build_dir.py writes it whole, build_patch.py patches one component's lines into it;
both through these functions, so that the layout build_patch.py reads back is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from jobgen.output.jsontext import quoted
from jobgen.render.model import RenderedAlias, RenderedJob


def job_line(job: RenderedJob, config: str, groovy: str | None) -> str:
    """A job's line of the manifest: json.dumps(entry, sort_keys=True) of its entry
    (name, deployed_name, full_name, component, kind, version, git_hash, config_sha256,
    calls, config, plugins and groovy when it has one), written key by key in that sorted
    order with json's own string encoder (jsontext.quoted): 2 us a line instead of 4.5
    for a dict built and encoded (19,000 lines a build)."""
    of = job.job
    calls = _strings(sorted({call.target for call in of.calls})) if of.calls else "[]"
    plugins = _plugin_list(job.plugins)
    groovy_key = "" if groovy is None else f'"groovy": {quoted(groovy)}, '
    return (
        f'{{"calls": {calls}, "component": {quoted(of.component)}, '
        f'"config": {quoted(config)}, "config_sha256": {quoted(job.config_sha256)}, '
        f'"deployed_name": {quoted(job.deployed_name)}, "full_name": {quoted(job.full_name)}, '
        f'"git_hash": {quoted(job.git_hash)}, {groovy_key}'
        f'"kind": {quoted(of.kind)}, "name": {quoted(of.name)}, '
        f'"plugins": {plugins}, "version": {int.__repr__(job.version)}}}'
    )


# Each set of plugins as a JSON list: a build's 13,000 jobs have a few dozen sets
# (render/plugins.py), written here once each instead of once a job.
@lru_cache(maxsize=256)
def _plugin_list(plugins: tuple[str, ...]) -> str:
    return _strings(plugins)


def alias_line(alias: RenderedAlias, config: str) -> str:
    """A stable job's line of the manifest: json.dumps(entry, sort_keys=True) of its name,
    full_name, component, target, config_sha256 and config, as job_line writes a job's."""
    return (
        f'{{"component": {quoted(alias.component)}, "config": {quoted(config)}, '
        f'"config_sha256": {quoted(alias.config_sha256)}, '
        f'"full_name": {quoted(alias.full_name)}, "name": {quoted(alias.name)}, '
        f'"target": {quoted(alias.target)}}}'
    )


def _strings(values: Iterable[str]) -> str:
    """A JSON list of strings, as json.dumps writes it."""
    return "[" + ", ".join(map(quoted, values)) + "]"


def file_lines(files: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each file's path with its line of the manifest, from its path and sha256."""
    return [(path, f"{quoted(path)}: {quoted(sha256)}") for path, sha256 in files]


def quoted_paths(lines: list[str]) -> list[str]:
    """The path of each file line of the manifest, as a JSON string (`quoted(path)`): one
    slice a line, no call (26,000 lines a build)."""
    end = -_SHA_END
    return [line[:end] for line in lines]


def file_sha256(line: str) -> str:
    """The sha256 of a file line of the manifest."""
    return line[-_SHA_END + len(': "') : -1]


_SHA_END = len(': ""') + 64  # after the path: `: "<sha256, 64 hex digits>"`


def manifest_text(aliases: list[str], files: list[str], jobs: list[str]) -> str:
    """The manifest as JSON with one job, alias or file a line, each section sorted: readable,
    diffable, and written by json's C encoder (an indented dump of 14,000 jobs takes the
    slow path). jobgen/output/build_patch.py reads this layout back line by line.

    Each line is a piece of one join, the sections' brackets put on their first and last
    lines (a piece may be a run of lines already joined by ",\n": build_patch.py's). A
    join of each section, then brackets around it, then a join of the sections copied the
    manifest (12 MB for 1000 components) six times over into freshly mapped memory."""
    pieces: list[str] = []
    for head, lines, tail, empty in (
        ('"aliases": [', aliases, "]", "[]"),
        ('"files": {', files, "}", "{\n\n}"),
        ('"jobs": [', jobs, "]", "[]"),
    ):
        if not lines:
            pieces.append(head[:-1] + empty)
            continue
        pieces.append(f"{head}\n{lines[0]}")
        pieces += lines[1:]
        pieces[-1] += f"\n{tail}"
    pieces[0] = "{\n" + pieces[0]
    pieces[-1] += "\n}\n"
    return ",\n".join(pieces)
