"""`jobgen compile`: write build/manifest.json and every job's config.xml (and Groovy)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from jobgen.commands.validate import format_text
from jobgen.compiler import compile_tree
from jobgen.diagnostics import ExitCode
from jobgen.groovy.compile import Mode
from jobgen.render.model import Artifacts, RenderedAlias, RenderedJob

MANIFEST = "manifest.json"


def run(components: Path, output: Path, mode: Mode = "prod") -> int:
    """Compile `components` into `output`; exit 1 with every error when the input is invalid."""
    if not components.is_dir():
        print(f"jobgen compile: {components} is not a folder of component files", file=sys.stderr)
        return ExitCode.USAGE
    result = compile_tree(components, mode)
    if result.diagnostics:
        files = len(list(components.glob("*.y*ml")))
        print(format_text(result.diagnostics, files), end="", file=sys.stderr)
    if result.artifacts is None:
        return ExitCode.INVALID
    write_build(result.artifacts, output)
    jobs = result.artifacts.jobs
    print(f"compiled {len(jobs)} jobs ({mode} mode) into {output}/{MANIFEST}")
    if result.dirty:
        print(f"{len(result.dirty)} jobs have uncommitted inputs: {', '.join(result.dirty)}")
    return ExitCode.OK


def write_build(artifacts: Artifacts, output: Path) -> None:
    """Replace `output/jobs/` with the rendered jobs and write the manifest beside it."""
    jobs_dir = output / "jobs"
    if jobs_dir.exists():
        shutil.rmtree(jobs_dir)  # stale jobs from an earlier compile must not linger
    jobs_dir.mkdir(parents=True)
    entries = [_write_job(job, output, jobs_dir) for job in artifacts.jobs]
    aliases = [_write_alias(alias, output, jobs_dir) for alias in artifacts.aliases]
    manifest = {
        "jobs": sorted(entries, key=lambda entry: str(entry["name"])),
        "aliases": sorted(aliases, key=lambda entry: str(entry["name"])),
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (output / MANIFEST).write_text(text, encoding="utf-8")


def _write_job(job: RenderedJob, output: Path, jobs_dir: Path) -> dict[str, object]:
    config = jobs_dir / f"{job.full_name}.xml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(job.config_xml)
    entry: dict[str, object] = {
        "name": job.job.name,
        "deployed_name": job.deployed_name,
        "full_name": job.full_name,
        "component": job.job.component,
        "kind": job.job.kind,
        "version": job.version,
        "git_hash": job.git_hash,
        "config_sha256": job.config_sha256,
        "calls": sorted({call.target for call in job.job.calls}),
        "config": config.relative_to(output).as_posix(),
        "plugins": list(job.plugins),
    }
    if job.groovy is not None:
        script = config.with_suffix(".groovy")
        script.write_text(job.groovy, encoding="utf-8")
        entry["groovy"] = script.relative_to(output).as_posix()
    return entry


def _write_alias(alias: RenderedAlias, output: Path, jobs_dir: Path) -> dict[str, object]:
    config = jobs_dir / f"{alias.full_name}.xml"
    config.write_bytes(alias.config_xml)
    return {
        "name": alias.name,
        "full_name": alias.full_name,
        "component": alias.component,
        "target": alias.target,
        "config_sha256": alias.config_sha256,
        "config": config.relative_to(output).as_posix(),
    }
