import subprocess

from jobgen.graph.formats import to_dot, to_mermaid
from jobgen.graph.model import Graph, component_graph, job_graph
from jobgen.load.loader import load
from jobgen.plan.planner import plan
from tests.repos import EXAMPLES


def test_component_graph_of_the_examples():
    graph = component_graph(load([EXAMPLES]).repo)
    assert graph.edges == (
        ("frontend", "platform-api"),
        ("frontend", "teams-api"),
        ("frontend", "template core-service"),  # extends: (jobgen/graph/model.py)
        ("platform-api", "template core-service"),
        ("teams-api", "platform-api"),
        ("teams-api", "template core-service"),
    )
    assert ("renewal-report", "renewal-report") in graph.nodes


def test_job_graph_holds_every_call():
    loaded = load([EXAMPLES]).repo
    graph = job_graph(plan(loaded).plan)
    assert ("process_model", "inspect_manifold") in graph.edges
    assert ("frontend-watch", "frontend-build-test") in graph.edges
    assert all(group for _, group in graph.nodes)


HOSTILE_GRAPH = Graph((('a"b\\', 'a"b\\'), ("c", "c")), (('a"b\\', "c"),))


def test_dot_output_is_valid_graphviz_even_for_odd_names():
    for graph in (HOSTILE_GRAPH, job_graph(plan(load([EXAMPLES]).repo).plan)):
        result = subprocess.run(
            ["dot", "-Tsvg"], input=to_dot(graph), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("<?xml")


def test_mermaid_quotes_labels_and_links_by_id():
    text = to_mermaid(HOSTILE_GRAPH)
    assert text.splitlines() == [
        "flowchart LR",
        '  n0["a#quot;b\\"]',
        '  n1["c"]',
        "  n0 --> n1",
    ]
