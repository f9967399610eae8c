"""Every string field of the component schema, each hostile payload in turn: never code.

The schema is walked, not listed: a field added to component.schema.json is
mutated here without anyone writing a line, and a field the base documents
do not reach fails the coverage test. Each mutated file is loaded, planned
and rendered (in process, a made-up version: the version phase reads git and
does not look at values); the load either reports an error at the mutated
field's position or the compile succeeds. Then every generated bash worker
runs with stub tools (one bash for all of them), every generated Groovy
orchestration runs its built-in scenarios (one JVM for all), the shell
commands the Groovy passes to `sh` run under a stub git, and no marker file
may appear.
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from jobgen.commands.test import JobScript
from jobgen.diagnostics import errors
from jobgen.groovy.builtin import builtin_scenarios
from jobgen.groovy.runner import run_scenarios
from jobgen.load.loader import load
from jobgen.load.schema import schema_validator
from jobgen.plan.planner import plan
from jobgen.plan.specs import GeneratedScript
from jobgen.render.renderer import render
from tests.jobgen.render.renderer_test import fixed_versions

TOKEN = "zzHOSTILEzz"
PAYLOADS = {
    "newline": "1\ntouch {m}\n",
    "carriage-return": "1\rtouch {m}\r",
    "command-substitution": "$(touch {m})",
    "backticks": "`touch {m}`",
    "single-quote": "'; touch {m}; '",
    "double-quote": '"; touch {m}; "',
    "groovy-gstring": "${{new File('{m}').createNewFile()}}",
    "groovy-triple-quote": "''' + new File('{m}').createNewFile() + '''",
    "groovy-double-triple": '""" + new File("{m}").createNewFile() + """',
    "cdata-end": "]]><x>$(touch {m})</x>",
    "control-characters": "a\x01\x1b[2J\x7f\x00b",
    "unicode-escape": "\\u000a touch {m} \\u0027",
}
BIG = "A" * 10_000_000


def _base_documents() -> list[dict[str, Any]]:
    """Valid documents that between them reach every field of the schema."""
    base: dict[str, Any] = {
        "component": "evil",
        "description": "the evil component",
        "repo": "https://git.example.com/evil.git",
        "repo_credentials": "git-reader",
        "branch": "main",
        "path": "services/evil",
        "requirements": {"node": "18", "ruby": "3.2", "python": "3.11", "labels": "linux"},
        "steps": {"build": "echo build ${APP}", "test": "echo test"},
        "environments": {"qa": {"variables": {"APP": "app"}, "approval": "releasers"}},
        "dependencies": ["other"],
        "credentials": [{"id": "deploy-token", "type": "string", "env": ["DEPLOY"]}],
        "schedule": "H 6 * * *",
        "notify": {
            "on": ["failure"],
            "email": ["team@example.com"],
            "webhook_credential": "hook",
        },
        "retention": {"days": 5},
        "jobs": {
            "hand": {
                "bash": "hand.sh",
                "description": "a hand-written worker",
                "parameters": {
                    "P": {"default": "x", "description": "p"},
                    "Q": {"required": True},
                    "R": {"type": "choice", "choices": ["a", "b"], "default": "a"},
                },
                "checkout": "main",
                "entrypoint": True,
                "requirements": {
                    "labels": ["linux", "docker"],
                    "docker": "node:18",
                    "node": "18",
                    "ruby": "3.2",
                    "python": "3.11",
                },
            },
            "orch": {"groovy": "orch.groovy", "may_call": ["hand"]},
        },
    }
    steps = ("build", "test", "stage", "release", "integration_test")
    variants = [
        {s: f"echo {s} ${{APP}}" for s in steps},
        {s: [f"echo {s}", "echo ${APP}"] for s in steps},
        {
            s: {
                "sh": [f"echo {s} ${{APP}}"],
                "credentials": ["deploy-token"],
                "artifacts": ["dist/*.tgz"],
                "timeout": 5,
            }
            for s in steps
        },
        {s: {"sh": f"echo {s} ${{APP}}"} for s in steps},
        {s: {"script": "step.sh"} for s in steps},
    ]
    docs = [{**copy.deepcopy(base), "steps": v} for v in variants]
    docs[1]["requirements"]["docker"] = "node:18"  # steps in a container, once
    docs[2]["requirements"]["labels"] = ["linux", "x86"]  # labels as a list and as a string
    docs[2]["jobs"]["hand"]["requirements"]["labels"] = "linux && docker"
    docs[3]["requirements"]["docker"] = {
        "image": "node:18",
        "entrypoint": "/bin/sh",
        "registry": "registry.example.com",
        "registry_credentials": "registry-login",
    }
    docs[4]["jobs"]["hand"]["requirements"]["docker"] = dict(docs[3]["requirements"]["docker"])
    # Triggers, component variables, test reports, shared files and alerts, once.
    docs[0]["watch"] = "webhook"
    features = copy.deepcopy(base)
    features["variables"] = {"APP": "app"}
    features["watch"] = {"poll": "H/15 * * * *"}
    features["schedule"] = {"cron": "H 6 1 * *", "run": "build-test", "parameters": {"APP": "x"}}
    shared = {
        "junit": "reports/**/*.xml",
        "produces": ["out/data.csv"],
        "metrics": "out/metrics.json",
        "alerts": [{"when": "rate < 0.70", "webhook_credential": "hook", "message": "low"}],
    }
    features["steps"] = {s: {"sh": f"echo {s}", **copy.deepcopy(shared)} for s in steps}
    for later in steps[1:]:
        features["steps"][later]["uses"] = ["build"]
    # The first step has no earlier one to use: this document only reaches build's `uses`.
    first_uses = copy.deepcopy(features)
    first_uses["steps"]["build"]["uses"] = ["test"]
    return [*docs, features, first_uses]


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = schema_validator("component.schema.json").schema
    return schema


def _is_string_field(node: Any) -> bool:
    kinds = node.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "string" in kinds or "enum" in node


def _schema_fields(node: Any, at: str = "") -> Iterator[tuple[int, str]]:
    """Every string-valued field (and key) of the schema: the id of its node, and where."""
    if not isinstance(node, dict):
        return
    if _is_string_field(node):
        yield id(node), at
    for name, sub in node.get("properties", {}).items():
        yield from _schema_fields(sub, f"{at}.{name}")
    for key in ("additionalProperties", "items"):
        if isinstance(node.get(key), dict):
            yield from _schema_fields(node[key], f"{at}.<{key}>")
    if isinstance(node.get("propertyNames"), dict):
        yield id(node["propertyNames"]), f"{at}.<key>"


@dataclass(frozen=True)
class Field:
    node: int  # id of the schema node: each field is mutated once
    path: tuple[str | int, ...]
    is_key: bool


def _doc_fields(doc: Any, node: Any, at: tuple[str | int, ...] = ()) -> Iterator[Field]:
    """The string fields of `doc` with the schema node each one is checked against."""
    if isinstance(doc, str | int | float) and not isinstance(doc, bool) and _is_string_field(node):
        yield Field(id(node), at, False)
    if isinstance(doc, dict):
        for key, value in doc.items():
            sub = node.get("properties", {}).get(key, node.get("additionalProperties"))
            if isinstance(node.get("propertyNames"), dict):
                yield Field(id(node["propertyNames"]), (*at, key), True)
            if isinstance(sub, dict):
                yield from _doc_fields(value, sub, (*at, key))
    if isinstance(doc, list) and isinstance(node.get("items"), dict):
        for i, item in enumerate(doc):
            yield from _doc_fields(item, node["items"], (*at, i))


def _fields() -> list[tuple[dict[str, Any], Field]]:
    seen: set[int] = set()
    found = []
    for doc in _base_documents():
        for field in _doc_fields(doc, _schema()):
            if field.node not in seen:
                seen.add(field.node)
                found.append((doc, field))
    return found


def test_the_base_documents_reach_every_string_field_of_the_schema():
    reached = {field.node for _, field in _fields()}
    missing = [where for node, where in _schema_fields(_schema()) if node not in reached]
    assert not missing, "schema fields never mutated"


def _mutated(doc: dict[str, Any], field: Field) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    *parents, last = field.path
    holder: Any = doc
    for part in parents:
        holder = holder[part]
    if field.is_key:
        holder[TOKEN] = holder.pop(last)
    else:
        holder[last] = TOKEN
    return doc


def _write_case(folder: Path, name: str, doc: dict[str, Any], payload: str) -> tuple[int, int]:
    """Write the component file with `payload` at TOKEN; return the payload's line and column."""
    text = yaml.safe_dump(doc, sort_keys=False, width=1_000_000)
    before = text[: text.index(TOKEN)]
    line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
    # A JSON string is a YAML double-quoted scalar: every payload byte survives.
    text = text.replace(TOKEN, json.dumps(payload), 1)
    (folder / "evil.yaml").write_text(text, encoding="utf-8")
    return line, col


def _repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    components = root / "components"
    components.mkdir(parents=True)
    (root / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (components / "other.yaml").write_text("component: other\nsteps: {build: echo other}\n")
    (components / "hand.sh").write_text("echo hand\n")
    (components / "step.sh").write_text("echo step\n")
    (components / "orch.groovy").write_text(
        "build(job: 'hand', parameters: [string(name: 'Q', value: 'x')])\n"
    )
    return components


@dataclass
class Generated:
    bash: list[str]
    scripts: dict[str, JobScript]
    scenarios: list[Any]


def _compile(components: Path, case: str, field: Field, where: tuple[int, int]) -> Generated | None:
    """Load, plan and render; None when the load refused the value at its position."""
    loaded = load([components])
    found = errors(loaded.diagnostics)
    if found:
        at = {(d.pos.line, d.pos.col) for d in found if d.pos and d.pos.path.endswith("evil.yaml")}
        # A name or a choice others refer to may be reported where it is referred to.
        referred = field.is_key or "choices" in field.path
        assert where in at or (referred and at), (
            case,
            [d.format() for d in found],
        )
        return None
    planned = plan(loaded.repo)
    if errors(planned.diagnostics):
        # A renamed job breaks the calls naming it: positioned errors, wherever those are.
        found = errors(planned.diagnostics)
        assert all(d.pos and d.pos.line > 0 for d in found), case
        return None
    artifacts = render(fixed_versions(planned.plan), owner="o", mode="test")
    # The user's own step text is code by design: it is replaced, everything around it runs.
    commands = [s.command for c in loaded.repo.components for s in c.steps]
    commands += [j.source for c in loaded.repo.components for j in c.jobs]
    bash = []
    for job in artifacts.jobs:
        script = etree.fromstring(job.config_xml).findtext("builders/hudson.tasks.Shell/command")
        if script is not None:
            for command in sorted(commands, key=len, reverse=True):
                if command:
                    script = script.replace(f"\n{command}\n", "\n:\n")
            bash.append(script)
    names = {j.deployed_name: j.job.name for j in artifacts.jobs}
    names |= {j.full_name: j.job.name for j in artifacts.jobs}
    scripts, scenarios = {}, []
    for job in artifacts.jobs:
        spec_script = getattr(job.job.spec, "script", None)
        if job.job.component == "other":
            continue  # the same in every case: one run is enough
        if job.groovy is None or not isinstance(spec_script, GeneratedScript):
            continue
        scripts[job.job.name] = JobScript(job.job.name, job.groovy, "generated", names)
        scenarios += builtin_scenarios(
            job.job.name, job.job.component, spec_script, job.job.spec.params, job.job.pos
        )
    return Generated(bash, scripts, scenarios)


def _stub_environment(tmp_path: Path) -> dict[str, str]:
    """nvm, rvm, pyenv, docker, curl and git that do nothing: only the generated text runs."""
    stubs = tmp_path / "stubs"
    (stubs / "bin").mkdir(parents=True)
    for tool in ("docker", "curl", "pyenv", "git", "cut"):
        (stubs / "bin" / tool).write_text("#!/bin/sh\nexit 0\n")
        (stubs / "bin" / tool).chmod(0o755)
    (stubs / "nvm").mkdir()
    (stubs / "nvm" / "nvm.sh").write_text("nvm() { :; }\n")
    (stubs / "home" / ".rvm" / "scripts").mkdir(parents=True)
    (stubs / "home" / ".rvm" / "scripts" / "rvm").write_text("rvm() { :; }\n")
    (stubs / "pyenv" / "bin").mkdir(parents=True)
    (stubs / "pyenv" / "bin" / "pyenv").symlink_to(stubs / "bin" / "pyenv")
    return {
        "PATH": f"{stubs / 'bin'}:/usr/bin:/bin",
        "NVM_DIR": str(stubs / "nvm"),
        "HOME": str(stubs / "home"),
        "PYENV_ROOT": str(stubs / "pyenv"),
        "WORKSPACE": str(tmp_path / "workspace"),
        "Q": "q",
        "P": "p",
    }


def _run_bash(tmp_path: Path, scripts: list[str]) -> None:
    """Every script in one bash: each in a subshell, failures ignored, stdout dropped."""
    folder = tmp_path / "bash"
    folder.mkdir(exist_ok=True)
    (tmp_path / "workspace").mkdir(exist_ok=True)
    lines = []
    for i, script in enumerate(scripts):
        path = folder / f"s{i}.sh"
        path.write_text(script, encoding="utf-8")
        lines.append(f'( cd "$WORKSPACE" && timeout 10 bash {path} ) >/dev/null 2>&1 </dev/null')
    driver = folder / "driver.sh"
    driver.write_text("\n".join(lines) + "\n")
    subprocess.run(["bash", str(driver)], env=_stub_environment(tmp_path), check=False, timeout=600)


def _sh_scripts(calls: Any) -> Iterator[str]:
    """The `script:` of every `sh` call recorded by the Groovy runner, at any depth."""
    if isinstance(calls, dict):
        if isinstance(calls.get("sh"), dict) and isinstance(calls["sh"].get("script"), str):
            yield calls["sh"]["script"]
        for value in calls.values():
            yield from _sh_scripts(value)
    elif isinstance(calls, list | tuple):
        for item in calls:
            yield from _sh_scripts(item)


@pytest.mark.slow
def test_no_payload_in_any_field_becomes_code(tmp_path):
    components = _repository(tmp_path)
    markers = tmp_path / "markers"
    markers.mkdir()
    bash: list[str] = []
    scripts: dict[str, JobScript] = {}
    scenarios: list[Any] = []
    compiled = refused = 0
    groovy_payloads: set[str] = set()
    for n, (doc, field) in enumerate(_fields()):
        for name, template in PAYLOADS.items():
            case = f"c{n}-{name}"
            payload = template.format(m=markers / case)
            mutated = _mutated(doc, field)
            if field.path != ("component",):
                mutated["component"] = f"evil-{n}-{len(scripts)}"
            where = _write_case(components, case, mutated, payload)
            generated = _compile(components, f"{case} at {field.path}", field, where)
            if generated is None:
                refused += 1
                continue
            compiled += 1
            # Only text that holds the payload (its marker path) can run it: the rest is
            # the same in every case and left out to keep the run short.
            bash += [b for b in generated.bash if str(markers) in b]
            # The formats keep every payload out of the Groovy of the cases here; the Groovy
            # of one accepted case per payload still runs, to show it runs at all.
            carriers = {k: v for k, v in generated.scripts.items() if str(markers) in v.text}
            if name not in groovy_payloads:
                groovy_payloads.add(name)
                carriers = dict(generated.scripts)
            # One JVM for all: every job name is unique across cases (the component is).
            if carriers and not set(carriers) & set(scripts):
                scripts.update(carriers)
                # The first built-in scenario of a job runs every phase of it.
                firsts = {s.job: s for s in reversed(generated.scenarios) if s.job in carriers}
                scenarios += firsts.values()
    assert compiled and refused
    outcomes = run_scenarios(scripts, scenarios)
    called = [s for outcome in outcomes for s in _sh_scripts(list(outcome.calls))]
    bash += [s for s in called if str(markers) in s]
    canary = tmp_path / "canary"  # proves the driver runs the scripts at all
    _run_bash(tmp_path, [*bash, f"touch {canary}\n"])
    assert canary.exists()
    assert sorted(p.name for p in markers.iterdir()) == []
    assert [o.id for o in outcomes if o.error and o.error.kind in ("compile", "internal")] == []
    assert len(scenarios) > 40 and len(bash) > 50 and len(called) > 40


@pytest.mark.slow
def test_a_ten_megabyte_value_in_any_field_is_an_error_at_that_field(tmp_path):
    components = _repository(tmp_path)
    for doc, field in _fields():
        where = _write_case(components, "big", _mutated(doc, field), BIG)
        assert _compile(components, f"10 MB at {field.path}", field, where) is None
