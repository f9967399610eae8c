"""What a hand-written orchestration gets just before its own Groovy.

The team's own Groovy library files it uses (jobgen/plan/team_library.py),
then a check of each required parameter that fails the build at once, naming
the parameter. Both sit before the body marker, so the lines of the job's own
Groovy keep their numbers in messages.
"""

from __future__ import annotations

from jobgen.plan.specs import HandScript, PipelineSpec
from jobgen.render.templates import render_template

_FILE_MARK = "// ---- jobgen: the team's Groovy library, {path} ----"


def hand_preamble(spec: PipelineSpec) -> str:
    """The library files and required checks of a hand-written orchestration ('' otherwise)."""
    script = spec.script
    if not isinstance(script, HandScript):
        return ""
    parts = [_mark(path) + _ended(text) for path, text in script.library]
    required = [p.name for p in spec.params if p.required]
    if required:
        parts.append(render_template("required.groovy.j2", required=required))
    return "".join(parts)


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _mark(path: str) -> str:
    # A file name may hold any character but `/` and NUL: keep the comment on one line.
    return _FILE_MARK.format(path=" ".join(path.splitlines())) + "\n"
