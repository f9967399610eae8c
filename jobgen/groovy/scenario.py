"""Scenario files: `components/<component>/tests/*.yaml`, one scenario or a list.

A scenario names an orchestration job (common name), its parameters, the
answers of the mocked steps and what is expected. Loading checks the shape
and reports every problem with its file, line and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.loader import find_root
from jobgen.load.repo_files import MAX_FILE_BYTES, read_in_repository
from jobgen.suggest import closest

RESULTS = ("SUCCESS", "UNSTABLE", "FAILURE", "NOT_BUILT", "ABORTED")
GOLDEN_SUFFIX = ".calls.yaml"
TOP_KEYS = ("name", "description", "job", "params", "answers", "expected", "run")
ANSWER_KEYS = ("build", "sh", "input", "httpRequest", "readJSON", "previousBuild", "mail")
# Steps the mocks implement that take no answer; any other step name may be answered.
NO_ANSWER = (
    "parallel", "stage", "node", "echo", "error", "unstable", "timeout", "retry", "sleep",
    "withCredentials", "withEnv", "catchError", "archiveArtifacts", "writeJSON",
    "library", "libraryResource",
)  # fmt: skip
EXPECTED_KEYS = ("result", "calls", "calls_include", "calls_exclude", "report", "error")
_NOT_CHECKED = object()


@dataclass(frozen=True)
class Expected:
    """What the run must show; `report` is _NOT_CHECKED unless the scenario names one."""

    result: str = "SUCCESS"
    calls: tuple[Any, ...] | None = None
    calls_include: tuple[Any, ...] | None = None
    report: Any = _NOT_CHECKED
    error: str | None = None  # a substring of the error message
    calls_exclude: tuple[Any, ...] | None = None  # none of these may be made

    @property
    def checks_report(self) -> bool:
        """Whether the scenario says anything about the posted report."""
        return self.report is not _NOT_CHECKED


@dataclass(frozen=True)
class Scenario:
    """One scenario, addressed as `component/file-stem` (plus `/name` inside a list file)."""

    id: str
    name: str
    component: str
    file: Path
    pos: SourcePos
    job: str
    job_pos: SourcePos
    params: Mapping[str, Any] = field(default_factory=dict)
    answers: Mapping[str, Any] = field(default_factory=dict)
    expected: Expected = field(default_factory=Expected)
    in_list: bool = False
    builtin: bool = False  # derived from a generated job by jobgen, not read from a file
    run: str | None = None  # a shared library's scenario: Groovy run with the library loaded
    library: str | None = None  # the shared library whose scenario this is
    run_line: int = 1  # the line of the scenario file where the `run:` Groovy starts

    @property
    def golden(self) -> Path:
        """The golden call file beside the scenario file."""
        return self.file.with_name(self.file.stem + GOLDEN_SUFFIX)


def scenario_files(components: Path) -> list[Path]:
    """Every scenario file under `components/*/tests/`, sorted, golden files left out."""
    found = sorted(components.glob("*/tests/*.yaml")) + sorted(components.glob("*/tests/*.yml"))
    return [p for p in found if not p.name.endswith(GOLDEN_SUFFIX)]


def load_scenarios(components: Path) -> tuple[list[Scenario], list[Diagnostic]]:
    """Load every scenario file; all problems are returned at once."""
    scenarios: list[Scenario] = []
    problems: list[Diagnostic] = []
    root = find_root(components)
    for path in scenario_files(components):
        found, diagnostics = load_file(root, path, component=path.parent.parent.name)
        scenarios.extend(found)
        problems.extend(diagnostics)
    return scenarios, problems


def load_file(
    repository: Path, path: Path, component: str, library: str | None = None
) -> tuple[list[Scenario], list[Diagnostic]]:
    """The scenarios of one file (which must lead inside `repository`), or the diagnostics
    that explain why it is invalid.

    In a shared library's `tests/` (`library` set), a scenario gives `run:`, Groovy
    that calls the library's steps, instead of `job:`.
    """
    read = read_in_repository(repository, path, MAX_FILE_BYTES)
    if read.problem:
        return [], [Diagnostic(SourcePos(str(path), 1, 1), "scenario-file", f"file {read.problem}")]
    try:
        root = yaml.compose(read.text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = SourcePos(str(path), mark.line + 1, mark.column + 1) if mark else SourcePos(str(path))
        return [], [Diagnostic(pos, "scenario-yaml", f"not valid YAML: {exc}")]
    checker = _Checker(path, library)
    if root is None:
        checker.fail(root, "empty scenario file", "write a mapping with at least `job:`")
        return [], checker.problems
    nodes = root.value if isinstance(root, yaml.SequenceNode) else [root]
    in_list = isinstance(root, yaml.SequenceNode)
    scenarios = [s for n in nodes if (s := checker.scenario(n, component, in_list)) is not None]
    golden = path.with_name(path.stem + GOLDEN_SUFFIX)
    if os.path.lexists(golden):
        # `jobgen test` reads it and `--update` writes it: never through a link leading out.
        read = read_in_repository(repository, golden, MAX_FILE_BYTES)
        if read.problem:
            checker.problems.append(
                Diagnostic(SourcePos(str(golden), 1, 1), "scenario-file", f"file {read.problem}")
            )
    names = [s.name for s in scenarios]
    for scenario in scenarios:
        if names.count(scenario.name) > 1:
            checker.problems.append(
                Diagnostic(scenario.pos, "scenario-name", f"two scenarios named {scenario.name!r}")
            )
    return (scenarios if not checker.problems else []), checker.problems


def _pos(path: Path, node: yaml.Node | None) -> SourcePos:
    if node is None:
        return SourcePos(str(path), 1, 1)
    return SourcePos(str(path), node.start_mark.line + 1, node.start_mark.column + 1)


def _plain(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    for key, value in node.value:
        yield str(key.value), key, value


class _Checker:
    """Walks the YAML nodes of one file, collecting positioned problems."""

    def __init__(self, path: Path, library: str | None = None) -> None:
        self.path = path
        self.library = library
        self.problems: list[Diagnostic] = []

    def fail(self, node: yaml.Node | None, message: str, hint: str = "") -> None:
        self.problems.append(Diagnostic(_pos(self.path, node), "scenario", message, hint))

    def keys(self, node: yaml.MappingNode, allowed: tuple[str, ...], where: str) -> None:
        for name, key, _ in _pairs(node):
            if name not in allowed:
                close = closest(name, allowed)
                hint = f"did you mean {close!r}?" if close else f"expected one of {allowed}"
                self.fail(key, f"unknown key {name!r} in {where}", hint)

    def mapping(self, node: yaml.Node, what: str) -> yaml.MappingNode | None:
        if isinstance(node, yaml.MappingNode):
            return node
        self.fail(node, f"{what} must be a mapping")
        return None

    def scenario(self, node: yaml.Node, component: str, in_list: bool) -> Scenario | None:
        top = self.mapping(node, "a scenario")
        if top is None:
            return None
        self.keys(top, TOP_KEYS, "a scenario")
        fields = {name: value for name, _, value in _pairs(top)}
        name = self.text(fields.get("name")) if "name" in fields else None
        if in_list and not name:
            self.fail(top, "a scenario in a list needs a `name:`", "names tell the list apart")
        job_node = fields.get("job")
        job = self.text(job_node) if job_node is not None else None
        run = None
        run_line = 1
        if self.library is not None:
            job_node = fields.get("run")
            run = self.text(job_node) if job_node is not None else None
            if isinstance(job_node, yaml.ScalarNode):
                # A block scalar (`run: |`) starts on the line after its indicator.
                block = job_node.style in ("|", ">")
                run_line = job_node.start_mark.line + (2 if block else 1)
            if not run:
                self.fail(job_node or top, "a library scenario needs `run:` (Groovy to run)")
            if "job" in fields:
                self.fail(fields["job"], "a library scenario runs `run:`, not a job")
            job = f"library {self.library}: {self.path.name}:{name or ''}" if run else None
        elif "run" in fields:
            self.fail(fields["run"], "`run:` is for a shared library's scenarios", "use `job:`")
        if not job and self.library is None:
            self.fail(job_node or top, "a scenario needs `job:` (the common name of a job)")
        params = self.params(fields.get("params"))
        answers = self.answers(fields.get("answers"))
        expected = self.expected(fields.get("expected"))
        if not job or (name is None and in_list):
            return None
        name = name or self.path.stem
        base = f"{component}/{self.path.stem}"
        return Scenario(
            id=f"{base}/{name}" if in_list else base,
            name=name,
            component=component,
            file=self.path,
            pos=_pos(self.path, top),
            job=job,
            job_pos=_pos(self.path, job_node),
            params=params,
            answers=answers,
            expected=expected,
            in_list=in_list,
            run=run,
            library=self.library,
            run_line=run_line,
        )

    def text(self, node: yaml.Node | None) -> str | None:
        if isinstance(node, yaml.ScalarNode) and isinstance(_plain(node), str):
            return str(node.value)
        self.fail(node, "expected a string")
        return None

    def params(self, node: yaml.Node | None) -> dict[str, Any]:
        if node is None:
            return {}
        top = self.mapping(node, "params")
        if top is None:
            return {}
        for name, _, value in _pairs(top):
            if not isinstance(value, yaml.ScalarNode):
                self.fail(value, f"parameter {name!r} must be a string, number or boolean")
        value = _plain(top)
        return dict(value) if isinstance(value, dict) else {}

    def answers(self, node: yaml.Node | None) -> dict[str, Any]:
        if node is None:
            return {}
        top = self.mapping(node, "answers")
        if top is None:
            return {}
        for name, key, value in _pairs(top):
            if name in NO_ANSWER:
                self.fail(
                    key,
                    f"`{name}` is mocked by jobgen and takes no answer",
                    f"answers are read for {', '.join(ANSWER_KEYS)}"
                    " and for steps jobgen does not mock",
                )
            elif name == "sh":
                self.sh_answers(value)
            elif name == "build":
                self.build_answers(value)
            elif name == "previousBuild":
                self.build_answer("the previous build", value)
            elif name != "input" and name in ANSWER_KEYS:
                self.mapping(value, f"answers.{name}")
        value = _plain(top)
        return dict(value) if isinstance(value, dict) else {}

    def sh_answers(self, node: yaml.Node) -> None:
        top = self.mapping(node, "answers.sh")
        if top is None:
            return
        for script, key, _ in _pairs(top):
            if not script.startswith("re:"):
                continue
            try:
                re.compile(script[3:])
            except re.error as exc:
                self.fail(key, f"answers.sh: {script!r} is not a regular expression: {exc}")

    def build_answers(self, node: yaml.Node) -> None:
        top = self.mapping(node, "answers.build")
        if top is None:
            return
        for job, _, value in _pairs(top):
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for item in items:
                self.build_answer(job, item)

    def build_answer(self, job: str, node: yaml.Node) -> None:
        value = _plain(node)
        result = value.get("result", "SUCCESS") if isinstance(value, dict) else value
        if result not in RESULTS:
            self.fail(
                node,
                f"build of {job!r}: {result!r} is not a build result",
                f"expected one of {', '.join(RESULTS)}",
            )

    def expected(self, node: yaml.Node | None) -> Expected:
        if node is None:
            return Expected()
        top = self.mapping(node, "expected")
        if top is None:
            return Expected()
        self.keys(top, EXPECTED_KEYS, "expected")
        fields = {name: value for name, _, value in _pairs(top)}
        result = _plain(fields["result"]) if "result" in fields else "SUCCESS"
        if result not in RESULTS:
            self.fail(
                fields["result"],
                f"{result!r} is not a build result",
                f"expected one of {', '.join(RESULTS)}",
            )
        calls = self.calls(fields.get("calls"), "calls")
        include = self.calls(fields.get("calls_include"), "calls_include", ("within", "times"))
        exclude = self.calls(fields.get("calls_exclude"), "calls_exclude", ("within",))
        error = _plain(fields["error"]) if "error" in fields else None
        report = _plain(fields["report"]) if "report" in fields else _NOT_CHECKED
        message = None if error is None else str(error)
        return Expected(str(result), calls, include, report, message, exclude)

    def calls(
        self, node: yaml.Node | None, what: str, modifiers: tuple[str, ...] = ()
    ) -> tuple[Any, ...] | None:
        if node is None:
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected.{what} must be a list of calls", "e.g. - build: {job: x}")
            return None
        for item in node.value:
            steps = (
                [(n, k, v) for n, k, v in _pairs(item) if n not in modifiers]
                if isinstance(item, yaml.MappingNode)
                else []
            )
            if len(steps) != 1:
                extra = f", plus {' and '.join(modifiers)}" if modifiers else ""
                self.fail(
                    item,
                    f"a call is a mapping of one step name to its arguments{extra}",
                    "e.g. - sh: make test",
                )
                continue
            self.modifiers(item, what)
        return tuple(_plain(node))

    def modifiers(self, item: yaml.MappingNode, what: str) -> None:
        for name, _, value in _pairs(item):
            plain = _plain(value) if name in ("within", "times") else None
            if name == "within" and not (isinstance(plain, dict) and plain):
                hint = "e.g. within: {stage: price}"
                self.fail(value, f"expected.{what}: `within` names blocks", hint)
            if name == "times" and not (type(plain) is int and plain >= 0):
                self.fail(value, f"expected.{what}: `times` is a count", "e.g. times: 2")
