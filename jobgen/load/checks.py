"""Checks across component files, once every file has been read.

Each check is a small function `Repo -> list[Diagnostic]`; `CHECKS` is the
ordered tuple the loader runs. Checks that need the whole job list (two jobs
with one name) belong to the planner.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.model import STEP_NAMES, Component, Name, Repo
from jobgen.load.sharing_checks import unknown_uses
from jobgen.load.triggers import trigger_problems
from jobgen.suggest import did_you_mean

Check = Callable[[Repo], list[Diagnostic]]

# Jenkins.checkGoodName's unsafe characters, verbatim (see jenkins-api.md section 3.4).
UNSAFE_CHARS = "?*/\\%!@#$^&|<>[]:;"


def run_checks(repo: Repo) -> list[Diagnostic]:
    """Every cross-file diagnostic, check by check."""
    return [diagnostic for check in CHECKS for diagnostic in check(repo)]


def duplicate_components(repo: Repo) -> list[Diagnostic]:
    """Two files naming one component: an error at the second, pointing at the first."""
    first: dict[str, Component] = {}
    found = []
    for component in repo.components:
        if component.name not in first:
            first[component.name] = component
            continue
        found.append(
            Diagnostic(
                component.pos,
                "duplicate-component",
                f"component `{component.name}` is defined twice",
                "a component name is unique in the repository; rename one of them",
                context=(f"{first[component.name].pos}: first defined here",),
            )
        )
    return found


def unknown_dependencies(repo: Repo) -> list[Diagnostic]:
    """A dependency that names no component of the repository."""
    names = {c.name for c in repo.components}  # asked of every dependency: a set, not a list
    known = sorted(names)
    found = []
    for component in repo.components:
        reported = set()  # a name listed twice is reported once (the schema flags the repeat)
        for dep in component.dependencies:
            if dep.value in names or dep.value in reported:
                continue
            reported.add(dep.value)
            found.append(
                Diagnostic(
                    dep.pos,
                    "unknown-dependency",
                    f"`{component.name}` depends on `{dep.value}`, which is not a component here",
                    did_you_mean(dep.value, known) or _known(known),
                )
            )
    return found


def dependency_cycles(repo: Repo) -> list[Diagnostic]:
    """Each dependency cycle once, at the dependency that closes it: `a -> b -> a`."""
    graph: dict[str, tuple[Name, ...]] = {}
    for component in repo.components:
        graph.setdefault(component.name, component.dependencies)
    found, seen = [], set()
    for cycle, closing in _cycles(graph):
        key = frozenset(cycle)
        if key in seen:
            continue
        seen.add(key)
        edges = [_edge(graph, a, b) for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)]
        found.append(
            Diagnostic(
                closing.pos,
                "dependency-cycle",
                "dependency cycle: " + " -> ".join([*cycle, cycle[0]]),
                "a component cannot depend on itself, directly or through others",
                context=tuple(f"{e.pos}: `{a}` depends on `{e.value}`" for a, e in edges[:-1]),
            )
        )
    return found


def _edge(graph: dict[str, tuple[Name, ...]], source: str, target: str) -> tuple[str, Name]:
    return source, next(n for n in graph[source] if n.value == target)


def _cycles(graph: dict[str, tuple[Name, ...]]) -> Iterator[tuple[list[str], Name]]:
    """Depth-first search; yields (cycle members in order, the edge back to the first)."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        stack: list[tuple[str, Iterator[Name]]] = [(start, iter(graph[start]))]
        on_stack = [start]
        while stack:  # bounded: each node enters the stack at most once per start
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                stack.pop()
                on_stack.pop()
                done.add(node)
            elif edge.value in on_stack:
                yield on_stack[on_stack.index(edge.value) :], edge
            elif edge.value in graph and edge.value not in done:
                stack.append((edge.value, iter(graph[edge.value])))
                on_stack.append(edge.value)


def missing_files(repo: Repo) -> list[Diagnostic]:
    """groovy:, bash: and script: files that do not exist."""
    found = []
    for component in repo.components:
        refs = [(s.script_file, s.script_pos) for s in component.steps]
        refs += [(j.groovy or j.bash, j.file_pos) for j in component.jobs]
        for path, pos in refs:
            # exists() follows symlinks: a dangling one is missing; a FIFO or a folder is
            # not, and the loader reports it as the wrong kind of file.
            if path is not None and not (repo.root / path).exists():
                found.append(_missing(path, pos or component.pos, component))
    return found


def _missing(path: Path, pos: SourcePos, component: Component) -> Diagnostic:
    return Diagnostic(
        pos,
        "missing-file",
        f"file not found: {path.as_posix()}",
        f"paths are relative to the folder of {component.file.as_posix()}",
    )


def jenkins_names(repo: Repo) -> list[Diagnostic]:
    """Component, hand-written job and environment names that Jenkins would refuse."""
    found = []
    for component in repo.components:
        named = [(component.name, component.pos, "component")]
        named += [(job.name, job.pos, "job") for job in component.jobs]
        named += [(env.name, env.pos, "environment") for env in component.environments]
        for name, pos, kind in named:
            problem = jenkins_name_problem(name)
            if problem:
                found.append(
                    Diagnostic(
                        pos,
                        "bad-jenkins-name",
                        f"Jenkins would reject the {kind} name `{name}`: {problem}",
                        "use letters, digits, `-` and `_`",
                    )
                )
    return found


def jenkins_name_problem(name: str) -> str:
    """Why `Jenkins.checkGoodName` would refuse `name`, or '' when it would accept it."""
    trimmed = name.strip()
    if not trimmed:
        return "no name is specified"
    if trimmed in (".", ".."):
        return f"“{trimmed}” is not an allowed name"
    for char in name:
        if unicodedata.category(char) == "Cc":
            return f"no control code is allowed (U+{ord(char):04X})"
        if char in UNSAFE_CHARS:
            return f"‘{char}’ is an unsafe character"
    if trimmed.endswith("."):
        return "a name cannot end with ‘.’"
    return ""


def unused_variables(repo: Repo) -> list[Diagnostic]:
    """Component and environment variables that no step's shell reads: a warning, likely a typo."""
    found = []
    for component in repo.components:
        shell = "\n".join(step.command for step in component.steps)
        owned = [(v, component.name) for v in component.variables]
        owned += [
            (v, f"environment `{e.name}`") for e in component.environments for v in e.variables
        ]
        for var, owner in owned:
            if not re.search(rf"\$\{{?{re.escape(var.name)}\b", shell):
                found.append(
                    Diagnostic(
                        var.pos,
                        "unused-variable",
                        f"variable `{var.name}` of {owner} is not used by any step",
                        f"a step reads it as ${{{var.name}}}; remove it or fix the spelling",
                        severity="warning",
                    )
                )
    return found


def reserved_variables(repo: Repo) -> list[Diagnostic]:
    """Variables named like a parameter the generated jobs pass themselves (GIT_HASH, the
    `<STEP>_BUILD_NUMBER` of shared files, `JOBGEN_*`, `<C>_PRODUCTION_VERSION`): the
    generated parameter wins, so the user's value would be silently dropped."""
    components = "|".join(re.escape(c.name.upper().replace("-", "_")) for c in repo.components)
    steps = "|".join(s.upper() for s in STEP_NAMES)
    reserved = re.compile(
        rf"GIT_HASH|JOBGEN_\w*|(?:{steps})_BUILD_NUMBER|(?:{components or '-'})_PRODUCTION_VERSION"
    )
    found = []
    for component in repo.components:
        owned = [(v, component.name) for v in component.variables]
        owned += [
            (v, f"environment `{e.name}`") for e in component.environments for v in e.variables
        ]
        for var, owner in owned:
            if reserved.fullmatch(var.name):
                found.append(
                    Diagnostic(
                        var.pos,
                        "reserved-variable",
                        f"variable `{var.name}` of {owner} is a parameter jobgen passes itself",
                        "rename it: the generated parameter would win and this value be ignored",
                    )
                )
    return found


def undeclared_credentials(repo: Repo) -> list[Diagnostic]:
    """A step binding a credential id that the component does not declare."""
    found = []
    for component in repo.components:
        declared = sorted(c.id for c in component.credentials)
        for step in component.steps:
            for name in step.credentials:
                if name.value not in declared:
                    hint = did_you_mean(name.value, declared) or (
                        f"declare it under `credentials:` as {{id: {name.value}, type: ..., "
                        "env: [...]}"
                    )
                    found.append(
                        Diagnostic(
                            name.pos,
                            "undeclared-credential",
                            f"step `{step.name}` uses credential `{name.value}`, "
                            "which is not declared under `credentials:`",
                            hint,
                        )
                    )
    return found


def _known(names: list[str], shown: int = 8) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"known components: {', '.join(names[:shown])}{more}"


CHECKS: tuple[Check, ...] = (
    duplicate_components,
    unknown_dependencies,
    dependency_cycles,
    missing_files,
    jenkins_names,
    unused_variables,
    reserved_variables,
    undeclared_credentials,
    unknown_uses,
    trigger_problems,
)
