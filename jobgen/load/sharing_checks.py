"""Checks of the files steps share: `uses:` names an earlier step that `produces:` files.

Steps run as separate jobs on possibly different agents, so a later step sees
an earlier one's files only when they are archived by it and copied in
(docs/component-file.md, "Steps share files").
"""

from __future__ import annotations

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import STEP_NAMES, Repo, Step


def unknown_uses(repo: Repo) -> list[Diagnostic]:
    """A `uses:` of a step that is absent, not earlier in the chain, or produces nothing."""
    found = []
    for component in repo.components:
        for step in component.steps:
            for name in step.uses:
                problem = _problem(component.step(name.value), name.value, step.name)
                if problem:
                    found.append(Diagnostic(name.pos, "bad-uses", problem[0], problem[1]))
    return found


def _problem(producer: Step | None, name: str, user: str) -> tuple[str, str] | None:
    if producer is None:
        return f"step `{user}` uses step `{name}`, which the component does not have", (
            "name an earlier step of this component"
        )
    if STEP_NAMES.index(name) >= STEP_NAMES.index(user):
        return f"step `{user}` uses step `{name}`, which runs after it", (
            "a step can copy in only what an earlier step of its chain produced"
        )
    if not producer.produces:
        return f"step `{user}` uses step `{name}`, which produces no files", (
            f"list the files under `produces:` of step `{name}`"
        )
    return None
