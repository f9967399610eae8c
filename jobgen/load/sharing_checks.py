"""Checks of the files steps share: `uses:` names an earlier step that `produces:` files.

Steps run as separate jobs on possibly different agents, so a later step sees
an earlier one's files only when they are archived by it and copied in
(docs/component-file.md, "Steps share files").
"""

from __future__ import annotations

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import STEP_NAMES, Component, Repo
from jobgen.suggest import did_you_mean


def unknown_uses(repo: Repo) -> list[Diagnostic]:
    """A `uses:` of a step that is absent, not earlier in the chain, or produces nothing.

    Only here, not in the schema too: the schema knows every step name, this check
    knows the component's, so one message (with the close name) says it all.
    """
    found = []
    for component in repo.components:
        for step in component.steps:
            for name in step.uses:
                problem = _problem(component, name.value, step.name)
                if problem:
                    found.append(Diagnostic(name.pos, "bad-uses", problem[0], problem[1]))
    return found


def _problem(component: Component, name: str, user: str) -> tuple[str, str] | None:
    producer = component.step(name)
    if producer is None:
        return f"step `{user}` uses step `{name}`, which the component does not have", (
            _absent_hint(component, name, user)
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


def _absent_hint(component: Component, name: str, user: str) -> str:
    """The step closest to `name` (an earlier producer first), else those `user` could use."""
    earlier = STEP_NAMES[: STEP_NAMES.index(user)]
    producers = [s.name for s in component.steps if s.produces and s.name in earlier]
    close = did_you_mean(name, producers) or did_you_mean(name, [s.name for s in component.steps])
    if close:
        return close
    if producers:
        return f"name an earlier step that produces files: {', '.join(producers)}"
    return "name an earlier step of this component, and list its files under `produces:`"
