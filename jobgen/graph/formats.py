"""Writing a Graph as Graphviz dot or as Mermaid; names are quoted, never trusted."""

from __future__ import annotations

import json
from itertools import groupby

from jobgen.graph.model import Graph


def to_dot(graph: Graph, title: str = "components") -> str:
    """Graphviz dot, one cluster per component when nodes are jobs."""
    lines = [f"digraph {_dot_id(title)} {{", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    clustered = any(name != group for name, group in graph.nodes)
    for group, members in groupby(graph.nodes, key=lambda node: node[1]):
        names = [name for name, _ in members]
        if clustered:
            lines.append(f"  subgraph {_dot_id('cluster_' + group)} {{ label={_dot_id(group)};")
            lines += [f"    {_dot_id(name)};" for name in names]
            lines.append("  }")
        else:
            lines += [f"  {_dot_id(name)};" for name in names]
    lines += [f"  {_dot_id(a)} -> {_dot_id(b)};" for a, b in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart; node ids are indices, labels are quoted names."""
    ids = {name: f"n{index}" for index, (name, _) in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    lines += [f'  {ids[name]}["{_mermaid_label(name)}"]' for name, _ in graph.nodes]
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in graph.edges if a in ids and b in ids]
    return "\n".join(lines) + "\n"


def _dot_id(name: str) -> str:
    return json.dumps(name)  # a double-quoted dot ID with quotes and backslashes escaped


def _mermaid_label(name: str) -> str:
    return name.replace('"', "#quot;")
