"""`jobgen graph`: components and their dependencies, or every job and its calls."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from jobgen.commands.validate import print_diagnostics
from jobgen.diagnostics import ExitCode, errors
from jobgen.graph.formats import to_dot, to_mermaid
from jobgen.graph.model import component_graph, job_graph
from jobgen.load.loader import load
from jobgen.plan.planner import plan


def run(components: Path, output_format: str = "dot", jobs: bool = False) -> int:
    """Print the graph as dot, mermaid or svg (svg through Graphviz's `dot`)."""
    loaded = load([components])
    if errors(loaded.diagnostics):
        print_diagnostics(loaded.diagnostics, len(loaded.files))
        return ExitCode.INVALID
    graph = job_graph(plan(loaded.repo).plan) if jobs else component_graph(loaded.repo)
    if output_format == "mermaid":
        sys.stdout.write(to_mermaid(graph))
        return ExitCode.OK
    dot = to_dot(graph, "jobs" if jobs else "components")
    if output_format == "dot":
        sys.stdout.write(dot)
        return ExitCode.OK
    return _svg(dot)


def _svg(dot: str) -> int:
    tool = shutil.which("dot")
    if tool is None:
        print("jobgen graph: svg needs Graphviz: apt-get install -y graphviz", file=sys.stderr)
        return ExitCode.USAGE
    result = subprocess.run([tool, "-Tsvg"], input=dot, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"jobgen graph: dot failed: {result.stderr.strip()}", file=sys.stderr)
        return ExitCode.INTERNAL
    sys.stdout.write(result.stdout)
    return ExitCode.OK
