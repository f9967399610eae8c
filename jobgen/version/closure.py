"""Every job's inputs together with those of every job it calls, through cycles too.

The integration phases make releases call each other (X's release makes its
dependents present, and theirs make X present), so the call graph has
cycles: each strongly connected group of jobs shares one set of inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jobgen.plan.model import Job


def input_closure(jobs: Sequence[Job]) -> dict[str, frozenset[str]]:
    """Common name -> every input path of the job and of everything it reaches by calls."""
    names = {job.name for job in jobs}
    edges = {job.name: sorted({c.target for c in job.calls if c.target in names}) for job in jobs}
    own = {job.name: frozenset(job.inputs) for job in jobs}
    closure: dict[str, frozenset[str]] = {}
    for group in _groups_callees_first(edges):
        members = set(group)
        inputs: set[str] = set()
        for name in group:
            inputs |= own[name]
            for callee in edges[name]:
                if callee not in members:
                    inputs |= closure[callee]
        frozen = frozenset(inputs)
        for name in group:
            closure[name] = frozen
    return closure


def _groups_callees_first(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively; callees' groups come first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            callees = edges[node]
            if child < len(callees):
                work.append((node, child + 1))
                callee = callees[child]
                if callee not in index:
                    work.append((callee, 0))
                elif callee in on_stack:
                    low[node] = min(low[node], index[callee])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups
