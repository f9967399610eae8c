"""The dependency graph of a repository: components and their dependencies, or jobs and calls."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from jobgen.load.extends import TEMPLATES_DIR
from jobgen.load.model import Repo
from jobgen.plan.model import Plan


@dataclass(frozen=True)
class Graph:
    """Nodes (with a group each: the component) and directed edges, both sorted."""

    nodes: tuple[tuple[str, str], ...]  # (name, group)
    edges: tuple[tuple[str, str], ...]  # (from, to): from depends on / calls to


def component_graph(repo: Repo) -> Graph:
    """Each component, an edge to each component it depends on and to the template it extends."""
    nodes = {(c.name, c.name) for c in repo.components}
    edges = {(c.name, d.value) for c in repo.components for d in c.dependencies}
    for component in repo.components:
        # `sources` lists the chain of templates farthest first (jobgen/load/extends.py).
        chain = [template_node(s) for s in component.sources if f"/{TEMPLATES_DIR}/" in s]
        nodes.update((t, t) for t in chain)
        edges.update(zip([component.name, *reversed(chain)], reversed(chain), strict=False))
    return Graph(tuple(sorted(nodes)), tuple(sorted(edges)))


def template_node(path: str) -> str:
    """`template service` for `components/_templates/service.yaml`."""
    return f"template {PurePosixPath(path).stem}"


def job_graph(plan: Plan) -> Graph:
    """Each job (folders left out), an edge to each job it calls."""
    jobs = [job for job in plan.jobs if job.kind != "folder"]
    watchers = [stable for stable in plan.stable if stable.watch is not None]
    nodes = tuple(
        sorted({(j.name, j.component) for j in jobs} | {(w.name, w.component) for w in watchers})
    )
    edges = {(job.name, call.target) for job in jobs for call in job.calls}
    edges |= {(w.name, name) for w in watchers if w.watch for name in w.watch.downstream}
    return Graph(nodes, tuple(sorted(edges)))
