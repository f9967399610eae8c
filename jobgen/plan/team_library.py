"""Which files of the team's Groovy library each hand-written orchestration uses.

A file is used when the job's Groovy names one of its functions, or a used
file does (transitively). Used files are compiled into the job's script
(jobgen/render/preamble.py) and are inputs of its version, so editing a
library file renames exactly the orchestrations that use it.
"""

from __future__ import annotations

from collections.abc import Sequence

from jobgen.load.model import Repo
from jobgen.load.team_library import GroovyFile
from jobgen.plan.evolve import evolve
from jobgen.plan.groovy_tokens import tokenize
from jobgen.plan.model import Job
from jobgen.plan.specs import HandScript, PipelineSpec


def with_team_library(jobs: Sequence[Job], repo: Repo) -> list[Job]:
    """The jobs, each hand-written orchestration with the library files it uses."""
    if not repo.team_library:
        return list(jobs)
    return [_with_library(job, repo.team_library) for job in jobs]


def _with_library(job: Job, library: Sequence[GroovyFile]) -> Job:
    spec = job.spec
    if not isinstance(spec, PipelineSpec) or not isinstance(spec.script, HandScript):
        return job
    used = used_files(spec.script.text, library)
    if not used:
        return job
    script = evolve(spec.script, library=tuple((f.path, f.text) for f in used))
    inputs = tuple(sorted({*job.inputs, *(f.path for f in used)}))
    return evolve(job, spec=evolve(spec, script=script), inputs=inputs)


def used_files(text: str, library: Sequence[GroovyFile]) -> list[GroovyFile]:
    """The library files `text` uses, directly or through each other, in library order."""
    defined = {name: f for f in library for name in f.functions}
    used: dict[str, GroovyFile] = {}
    pending = [text]
    while pending:
        for name in _names(pending.pop()) & defined.keys():
            found = defined[name]
            if found.path not in used:
                used[found.path] = found
                pending.append(found.text)
    return [f for f in library if f.path in used]


def _names(text: str) -> set[str]:
    return {token.text for token in tokenize(text) if token.kind == "ident"}
