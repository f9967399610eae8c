"""jobgen.yaml beyond the pin: `owner:`, `repository:` and `targets:`, typed and positioned.

The document is checked against `settings.schema.json` with the same
plain-English explanations as component files; only what passed is converted,
so a bad target is reported once and then left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jobgen.diagnostics import Diagnostic
from jobgen.load.defaults import defaults_layer
from jobgen.load.layers import Layer
from jobgen.load.model import FunctionalTest, JobsRepository, Name, Target
from jobgen.load.schema import explain, schema_errors
from jobgen.load.secrets import find_secrets
from jobgen.load.target_checks import check_targets
from jobgen.load.yaml_nodes import PositionMap

DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class Settings:
    """What jobgen.yaml says besides the pin."""

    targets: tuple[Target, ...] = ()
    owner: str | None = None
    repository: JobsRepository | None = None
    defaults: Layer | None = None  # `defaults:`, laid under every component
    external_jobs: tuple[Name, ...] = ()  # full names of jobs jobgen does not manage


def read_settings(doc: object, positions: PositionMap) -> tuple[Settings, list[Diagnostic]]:
    """The settings of a parsed jobgen.yaml and every problem with them, positioned."""
    if not isinstance(doc, Mapping):
        return Settings(), []  # the loader reports a document that is not a mapping
    secrets = list(find_secrets(_without_env_names(doc), positions))
    secret_at = {(d.pos.line, d.pos.col) for d in secrets if d.pos}
    found = secrets + [
        d
        for e in schema_errors("settings.schema.json", doc)
        for d in explain(e, positions, secret_at)
    ]
    # `explain` labels the document root as a component file; here it is jobgen.yaml.
    found = [_relabel(d) for d in found]
    targets = _targets(doc.get("targets"), positions)
    defaults, problems = defaults_layer(doc, Layer(doc, positions))
    settings = Settings(
        targets=targets,
        owner=doc["owner"] if isinstance(doc.get("owner"), str) and doc["owner"] else None,
        repository=_repository(doc.get("repository"), positions),
        defaults=defaults,
        external_jobs=_external_jobs(doc.get("external_jobs"), positions),
    )
    found += check_targets(settings.targets, settings.repository is not None)
    found += problems
    return settings, found


def _without_env_names(doc: Mapping[str, object]) -> dict[str, object]:
    """`doc` without the `*_env` keys of targets: `token_env` names a variable, not a secret."""
    targets = doc.get("targets")
    if not isinstance(targets, Mapping):
        return dict(doc)
    kept = {
        name: {k: v for k, v in spec.items() if not str(k).endswith("_env")}
        if isinstance(spec, Mapping)
        else spec
        for name, spec in targets.items()
    }
    return {**doc, "targets": kept}


def _relabel(diagnostic: Diagnostic) -> Diagnostic:
    message = diagnostic.message.replace("component file:", "jobgen.yaml:", 1)
    message = message.replace("component files must not", "jobgen.yaml must not")
    return Diagnostic(
        diagnostic.pos, diagnostic.code, message, diagnostic.hint, diagnostic.severity
    )


def _repository(value: object, positions: PositionMap) -> JobsRepository | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("url"), str):
        return None
    branch = value.get("branch")
    install = value.get("install")
    return JobsRepository(
        url=value["url"],
        branch=branch if isinstance(branch, str) and branch else DEFAULT_BRANCH,
        pos=positions.value(("repository",)),
        credentials=value["credentials"] if isinstance(value.get("credentials"), str) else None,
        install=install if isinstance(install, str) and install else None,
        functional_test=_functional_test(value.get("functional_test")),
    )


def _functional_test(value: object) -> FunctionalTest | None:
    if not isinstance(value, Mapping):
        return None
    default = FunctionalTest()
    job, runs, rate = value.get("job"), value.get("runs"), value.get("rate")
    return FunctionalTest(
        job=job if isinstance(job, str) else default.job,
        runs=runs if isinstance(runs, int) and not isinstance(runs, bool) else default.runs,
        rate=float(rate) if isinstance(rate, int | float) and _number(rate) else default.rate,
    )


def _targets(value: object, positions: PositionMap) -> tuple[Target, ...]:
    if not isinstance(value, Mapping):
        return ()
    found = []
    for name, spec in value.items():
        if isinstance(spec, Mapping) and isinstance(spec.get("url"), str):
            found.append(_target(str(name), spec, positions))
    return tuple(found)


def _target(name: str, spec: Mapping[str, object], positions: PositionMap) -> Target:
    at = ("targets", name)

    def text(key: str, default: str | None) -> str | None:
        value = spec.get(key)
        return value if isinstance(value, str) and value else default

    def ref(key: str) -> Name | None:
        value = text(key, None)
        return Name(value, positions.value((*at, key))) if value else None

    timeout, workers = spec.get("timeout"), spec.get("workers")
    return Target(
        name=name,
        url=str(spec["url"]),
        pos=positions.key(at),
        user_env=text("user_env", None) or Target.user_env,
        token_env=text("token_env", None) or Target.token_env,
        netrc=text("netrc", None),
        folder=(text("folder", "") or "").strip("/"),
        timeout=float(timeout)
        if isinstance(timeout, int | float) and _number(timeout)
        else Target.timeout,
        workers=workers if isinstance(workers, int) and _number(workers) else Target.workers,
        deployer=ref("deployer"),
        after=ref("after"),
        credentials=text("credentials", None),
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _external_jobs(value: object, positions: PositionMap) -> tuple[Name, ...]:
    items = value if isinstance(value, list) else []
    return tuple(
        Name(item.strip("/"), positions.value(("external_jobs", i)))
        for i, item in enumerate(items)
        if isinstance(item, str) and item.strip("/")
    )
