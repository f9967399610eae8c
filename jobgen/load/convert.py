"""Turn one parsed component document into the model dataclasses, keeping positions.

The schema has already reported every malformed field; this code only has to
not crash on them. Each reader takes what has the right shape and skips the
rest, so a file with one bad field still contributes its good ones to the
cross-file checks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import cast

from jobgen.diagnostics import Diagnostic
from jobgen.load import alerts as alert_rules
from jobgen.load import triggers
from jobgen.load.formats import check
from jobgen.load.model import (
    STEP_NAMES,
    Alert,
    Component,
    Credential,
    CredentialType,
    Environment,
    HandJob,
    Name,
    Notify,
    Parameter,
    Requirements,
    Retention,
    Step,
    Variable,
)
from jobgen.load.parameters import param_type
from jobgen.load.repo_files import read_repo_file
from jobgen.load.secrets import SECRET_HINT, secret_kind
from jobgen.load.yaml_nodes import PositionMap, YamlPath

_CREDENTIAL_TYPES = ("usernamePassword", "string", "file", "sshUserPrivateKey")
_RESULTS = ("success", "failure", "unstable", "fixed", "aborted", "always")


@dataclass
class Converter:
    """Context for one component file: where it is, and where the repository root is."""

    positions: PositionMap
    root: Path  # the repository root (absolute)
    file: Path  # the component file, relative to the root
    diagnostics: list[Diagnostic]

    def component(self, doc: object, sources: tuple[str, ...] = ()) -> Component | None:
        """The Component, or None when the document does not even name one; `sources` are its
        version inputs besides its file (given here: a frozen copy made to add them is a
        second __init__ of its 24 fields)."""
        if not isinstance(doc, Mapping) or not isinstance(doc.get("component"), str):
            return None
        return Component(
            name=doc["component"],
            file=self.file,
            pos=self.positions.value(("component",)),
            description=_str(doc.get("description")) or "",
            repo=_str(doc.get("repo")) or "",
            branch=_str(doc.get("branch")) or "main",
            path=_str(doc.get("path")) or "",
            repo_credentials=_str(doc.get("repo_credentials")),
            requirements=self.requirements(doc.get("requirements"), ("requirements",)),
            steps=self.steps(_map(doc.get("steps"))),
            environments=self.environments(_map(doc.get("environments"))),
            dependencies=self.names(doc.get("dependencies"), ("dependencies",)),
            credentials=self.credentials(doc.get("credentials")),
            schedule=_str(doc.get("schedule")) or _str(_map(doc.get("schedule")).get("cron")),
            notify=self.notify(doc.get("notify")),
            retention=self.retention(doc.get("retention")),
            jobs=self.jobs(_map(doc.get("jobs"))),
            sources=sources,
            variables=self.variables(doc.get("variables"), ("variables",)),
            watch=triggers.watch_of(doc.get("watch"))[0],
            poll=triggers.watch_of(doc.get("watch"))[1],
            schedule_run=self.schedule_run(_map(doc.get("schedule")).get("run")),
            schedule_parameters=self.variables(
                _map(doc.get("schedule")).get("parameters"), ("schedule", "parameters")
            ),
            schedule_awaits_approval=self.positions.value(("schedule", "awaits_approval"))
            if _map(doc.get("schedule")).get("awaits_approval") is True
            else None,
        )

    def schedule_run(self, value: object) -> Name | None:
        if not isinstance(value, str):
            return None
        return Name(value, self.positions.value(("schedule", "run")))

    def text(self, value: object, at: YamlPath) -> str | None:
        """A scalar as the user wrote it: `python: 3.10` is "3.10", not 3.1."""
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return self.positions.text(at) or str(value)
        return None

    def names(self, value: object, at: YamlPath) -> tuple[Name, ...]:
        items = value if isinstance(value, list) else []
        return tuple(
            Name(item, self.positions.value((*at, i)))
            for i, item in enumerate(items)
            if isinstance(item, str)
        )

    def requirements(self, value: object, at: YamlPath) -> Requirements:
        req = _map(value)
        labels = req.get("labels")
        if isinstance(labels, str):
            labels = [labels]
        docker = req.get("docker")
        options = _map(docker)  # `docker: image`, or `docker: {image:, entrypoint:, ...}`
        return Requirements(
            node=self.text(req.get("node"), (*at, "node")),
            ruby=self.text(req.get("ruby"), (*at, "ruby")),
            python=self.text(req.get("python"), (*at, "python")),
            labels=_strs(labels),
            docker=_str(options.get("image")) if options else _str(docker),
            pos=self.positions.key(at) if value is not None else None,
            docker_entrypoint=_str(options.get("entrypoint")),
            docker_registry=_str(options.get("registry")),
            docker_registry_credentials=_str(options.get("registry_credentials")),
        )

    def steps(self, steps: Mapping[str, object]) -> tuple[Step, ...]:
        found = (self.step(name, steps[name]) for name in STEP_NAMES if name in steps)
        return tuple(step for step in found if step is not None)

    def step(self, name: str, value: object) -> Step | None:
        at: YamlPath = ("steps", name)
        pos = self.positions.key(at)
        if isinstance(value, str | list):
            return Step(name, _shell(value), pos)
        if not isinstance(value, Mapping):
            return None
        script = self.file_ref(value.get("script"), (*at, "script"))
        command = _shell(value.get("sh")) if script is None else self._read(script, (*at, "script"))
        timeout = value.get("timeout")
        return Step(
            name=name,
            command=command,
            pos=pos,
            script_file=script,
            script_pos=self.positions.value((*at, "script")) if script else None,
            timeout_minutes=timeout if _is_int(timeout) else None,
            credentials=self.names(value.get("credentials"), (*at, "credentials")),
            artifacts=_strs(value.get("artifacts")),
            junit=_str(value.get("junit")),
            produces=_strs(value.get("produces")),
            uses=self.names(value.get("uses"), (*at, "uses")),
            metrics=_str(value.get("metrics")),
            alerts=self.alerts(value.get("alerts"), (*at, "alerts")),
        )

    def alerts(self, value: object, at: YamlPath) -> tuple[Alert, ...]:
        items = value if isinstance(value, list) else []
        found = (
            alert_rules.alert(
                item,
                self.positions.value((*at, i)),
                self.positions.value((*at, i, "when")),
                lambda pos, message: self.diagnostics.append(
                    Diagnostic(pos, "bad-threshold", message, alert_rules.HINT)
                ),
            )
            for i, item in enumerate(items)
            if isinstance(item, Mapping)
        )
        return tuple(a for a in found if a is not None)

    def variables(self, value: object, at: YamlPath) -> tuple[Variable, ...]:
        """`NAME: value` pairs as written (an environment's or the component's own)."""
        return tuple(
            Variable(var, text, self.positions.key((*at, var)))
            for var, raw in _map(value).items()
            if (text := self.text(raw, (*at, var))) is not None
        )

    def file_ref(self, value: object, at: YamlPath) -> Path | None:
        """A file named relative to the component file's folder, as a root-relative path."""
        if not isinstance(value, str) or not value or check("relative-path", value):
            return None  # the schema reports a malformed path at its position
        if PurePosixPath(value).is_absolute():
            self._error(at, "file-outside-repo", f"`{value}` must be a relative path", _REL_HINT)
            return None
        joined = os.path.normpath(self.file.parent / value)
        if joined.startswith(".."):
            self._error(at, "file-outside-repo", f"`{value}` is outside the repository", _REL_HINT)
            return None
        return Path(joined)

    def _read(self, path: Path, at: YamlPath) -> str:
        # A missing file is reported by checks.missing_files, with the other cross-file findings.
        found = read_repo_file(self.root, path)
        if found.problem and not found.missing:
            self._error(at, "bad-file", f"`{path.as_posix()}` {found.problem}", _FILE_HINT)
        kind = secret_kind(found.text)
        if kind:  # the file's text goes into the job's XML as it is
            message = (
                f"`{path.as_posix()}` holds what looks like {kind}; files must not hold secrets"
            )
            self._error(at, "secret-in-file", message, SECRET_HINT)
        return found.text

    def _error(self, at: YamlPath, code: str, message: str, hint: str) -> None:
        self.diagnostics.append(Diagnostic(self.positions.value(at), code, message, hint))

    def environments(self, envs: Mapping[str, object]) -> tuple[Environment, ...]:
        result = []
        for name, value in envs.items():
            at: YamlPath = ("environments", name)
            env = _map(value)
            variables = self.variables(env.get("variables"), (*at, "variables"))
            approval = _str(env.get("approval"))
            result.append(Environment(name, variables, self.positions.key(at), approval))
        return tuple(result)

    def credentials(self, value: object) -> tuple[Credential, ...]:
        items = value if isinstance(value, list) else []
        result = []
        for i, item in enumerate(items):
            cred = _map(item)
            cred_id, cred_type = cred.get("id"), cred.get("type")
            if isinstance(cred_id, str) and cred_type in _CREDENTIAL_TYPES:
                pos = self.positions.value(("credentials", i))
                env = _strs(cred.get("env"))
                kind = cast(CredentialType, cred_type)  # checked against the literal's values
                result.append(Credential(cred_id, kind, env, pos))
        return tuple(result)

    def notify(self, value: object) -> Notify | None:
        if not isinstance(value, Mapping):
            return None
        on = tuple(r for r in _strs(value.get("on")) if r in _RESULTS) or ("failure",)
        return Notify(
            on=on,  # type: ignore[arg-type]  # filtered to NotifyResult values above
            email=_strs(value.get("email")),
            pos=self.positions.key(("notify",)),
            webhook_credential=_str(value.get("webhook_credential")),
        )

    def retention(self, value: object) -> Retention | None:
        if not isinstance(value, Mapping):
            return None
        days, builds = value.get("days"), value.get("builds")
        return Retention(
            days=days if _is_int(days) else None,
            builds=builds if _is_int(builds) else None,
            pos=self.positions.key(("retention",)),
        )

    def jobs(self, jobs: Mapping[str, object]) -> tuple[HandJob, ...]:
        return tuple(self.job(name, _map(value)) for name, value in jobs.items())

    def job(self, name: str, job: Mapping[str, object]) -> HandJob:
        at: YamlPath = ("jobs", name)
        requirements = job.get("requirements")
        groovy = self.file_ref(job.get("groovy"), (*at, "groovy"))
        bash = self.file_ref(job.get("bash"), (*at, "bash"))
        file = groovy or bash
        return HandJob(
            name=name,
            pos=self.positions.key(at),
            groovy=groovy,
            bash=bash,
            parameters=self.parameters(_map(job.get("parameters")), (*at, "parameters")),
            may_call=self.names(job.get("may_call"), (*at, "may_call")),
            entrypoint=job.get("entrypoint") is True,
            description=_str(job.get("description")) or "",
            requirements=None
            if requirements is None
            else self.requirements(requirements, (*at, "requirements")),
            file_pos=self.positions.value((*at, "groovy" if "groovy" in job else "bash")),
            source=self._read(file, (*at, "groovy" if groovy else "bash")) if file else "",
            checkout=_checkout(job.get("checkout", True)),
        )

    def parameters(self, params: Mapping[str, object], at: YamlPath) -> tuple[Parameter, ...]:
        result = []
        for name, value in params.items():
            param = _map(value)
            result.append(
                Parameter(
                    name=name,
                    pos=self.positions.key((*at, name)),
                    required=param.get("required") is True,
                    default=self.text(param.get("default"), (*at, name, "default")),
                    description=_str(param.get("description")) or "",
                    type=param_type(param),
                    choices=self.choices(param.get("choices"), (*at, name, "choices")),
                )
            )
        return tuple(result)

    def choices(self, value: object, at: YamlPath) -> tuple[str, ...]:
        """A choice parameter's values as written (`1.10` stays `1.10`)."""
        items = value if isinstance(value, list) else []
        texts = (self.text(item, (*at, i)) for i, item in enumerate(items))
        return tuple(t for t in texts if t is not None)


_FILE_HINT = "a referenced file is a regular file of the repository, outside .git/, up to 1 MB"
_REL_HINT = "name files relative to the component file's folder, inside the repository"


def _checkout(value: object) -> bool | str:
    return value if isinstance(value, bool | str) else True


def _map(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strs(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else []
    return tuple(item for item in items if isinstance(item, str))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shell(value: object) -> str:
    """A step's shell text: a list of lines is one command, joined by newlines."""
    if isinstance(value, str):
        return value
    return "\n".join(_strs(value))
