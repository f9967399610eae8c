"""Checks across targets: who deploys whom, and in which order.

A master must never deploy itself (the talk, slide 29: Jenkins releasing
itself released strange versions), so a `deployer:` chain that comes back to
where it started is an error, printed as the loop it makes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import Name, Target
from jobgen.suggest import did_you_mean


def check_targets(targets: Sequence[Target], has_repository: bool) -> list[Diagnostic]:
    """Unknown deployer/after names, loops, and self-deploy settings that are missing."""
    by_name = {t.name: t for t in targets}
    found: list[Diagnostic] = []
    for target in targets:
        found += _unknown(target.deployer, "deployer", by_name)
        found += _unknown(target.after, "after", by_name)
        found += _needs(target, by_name, has_repository)
    found += _loops(targets, lambda t: t.deployer, "deploy-loop", "deploys itself")
    found += _loops(targets, lambda t: t.after, "after-loop", "waits for itself")
    return found


def _unknown(ref: Name | None, key: str, by_name: dict[str, Target]) -> list[Diagnostic]:
    if ref is None or ref.value in by_name:
        return []
    hint = did_you_mean(ref.value, by_name) or f"targets: {', '.join(by_name) or 'none'}"
    message = f"{key}: no target named `{ref.value}` in jobgen.yaml"
    return [Diagnostic(ref.pos, f"unknown-{key}", message, hint)]


def _needs(target: Target, by_name: dict[str, Target], has_repository: bool) -> list[Diagnostic]:
    found = []
    if target.deployer and not target.credentials:
        found.append(
            Diagnostic(
                target.deployer.pos,
                "deployer-credentials",
                f"target `{target.name}` has a deployer but no `credentials:`",
                "name the Jenkins credential id (usernamePassword) the deployer master "
                f"binds to {target.user_env} and {target.token_env}",
            )
        )
    if target.deployer and not has_repository:
        found.append(
            Diagnostic(
                target.deployer.pos,
                "deployer-repository",
                "a self-deploy job needs to know where this jobs repository lives",
                "add `repository: {url: <git URL>, branch: main}` to jobgen.yaml",
            )
        )
    if target.after is None:
        return found
    if target.deployer is None:
        message = f"`after:` needs a deployer: `{target.name}` is deployed by hand"
        found.append(Diagnostic(target.after.pos, "after-without-deployer", message))
        return found
    other = by_name.get(target.after.value)
    if other and (other.deployer is None or other.deployer.value != target.deployer.value):
        found.append(
            Diagnostic(
                target.after.pos,
                "after-other-deployer",
                f"`{target.after.value}` is not deployed by `{target.deployer.value}`, "
                f"so its self-deploy job cannot start `{target.name}`'s",
                f"give `{target.after.value}` the same deployer, or remove `after:`",
            )
        )
    return found


def _loops(
    targets: Sequence[Target], link: Callable[[Target], Name | None], code: str, verb: str
) -> list[Diagnostic]:
    """One diagnostic per loop, at the first target of it written in jobgen.yaml."""
    by_name = {t.name: t for t in targets}
    reported: set[str] = set()
    found = []
    for target in targets:
        chain = [target.name]
        current = link(target)
        while current is not None and current.value in by_name and current.value not in chain:
            chain.append(current.value)
            current = link(by_name[current.value])
        if current is None or current.value != target.name or target.name in reported:
            continue
        reported.update(chain)
        first = link(target)
        assert first is not None
        loop = " -> ".join([*chain, target.name])
        found.append(
            Diagnostic(
                first.pos,
                code,
                f"target `{target.name}` {verb}: {loop}",
                "a master must be deployed by another one (the talk's QA QA deploys QA Prod)"
                if code == "deploy-loop"
                else "break the loop: one of them must not wait for another",
            )
        )
    return found
