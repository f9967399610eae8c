"""Patching one component's jobs into a build folder: only a folder exactly as jobgen left it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from jobgen.output.build_dir import MANIFEST, write_build
from jobgen.output.build_patch import open_patch
from jobgen.output.guard import OWNED
from jobgen.render.model import Artifacts


@pytest.fixture
def build(artifacts: Artifacts) -> Path:
    """The examples compiled into build/ by a full compile's writer."""
    write_build(artifacts, Path("build"))
    return Path("build")


def _sha(build: Path) -> str:
    """The manifest's sha256, as the compile record holds it."""
    return hashlib.sha256((build / MANIFEST).read_bytes()).hexdigest()


def _frontend_files(build: Path) -> set[str]:
    manifest = json.loads((build / MANIFEST).read_text())
    entries = [*manifest["jobs"], *manifest["aliases"]]
    return {e["config"] for e in entries if e["component"] == "frontend"}


def test_a_patch_without_changes_writes_back_the_same_manifest(build):
    before = (build / MANIFEST).read_bytes()
    patch = open_patch(build, "frontend", _frontend_files(build), _sha(build))
    assert patch is not None
    assert not (build / MANIFEST).exists()  # taken away until the patch is finished
    patched = patch.finish_patch([], [])
    # Every frontend line and file dropped, nothing added: the rest is byte for byte as it was.
    after = json.loads((build / MANIFEST).read_text())
    assert {e["component"] for e in after["jobs"]} == {
        e["component"] for e in json.loads(before)["jobs"]
    } - {"frontend"}
    assert patched.written.removed == len(_frontend_files_in(before))
    assert set(json.loads((build / OWNED).read_text())["written"]) == set(after["files"])


def _frontend_files_in(manifest: bytes) -> set[str]:
    data = json.loads(manifest)
    return {
        path
        for e in data["jobs"] + data["aliases"]
        if e["component"] == "frontend"
        for path in (e["config"], e.get("groovy"))
        if path
    }


def test_a_manifest_in_another_layout_is_not_patched(build):
    manifest = build / MANIFEST
    manifest.write_text(json.dumps(json.loads(manifest.read_text()), indent=2))
    before = manifest.read_bytes()
    assert open_patch(build, "frontend", set(), _sha(build)) is None
    assert manifest.read_bytes() == before  # nothing touched


def test_a_manifest_changed_since_it_was_recorded_is_not_patched(build):
    # Same layout, one hash edited by hand: not the manifest the record vouches for.
    manifest = build / MANIFEST
    recorded = _sha(build)
    text = manifest.read_text()
    sha = json.loads(text)["files"]["jobs/frontend.xml"]
    manifest.write_text(text.replace(sha, "0" * 64, 1))
    before = manifest.read_bytes()
    assert open_patch(build, "frontend", set(), recorded) is None
    assert manifest.read_bytes() == before  # nothing touched


def test_files_left_by_an_interrupted_compile_are_not_patched(build):
    # The record of written files names one the manifest does not: a full compile removes it.
    owned = build / OWNED
    written = json.loads(owned.read_text())["written"]
    owned.write_text(json.dumps({"written": [*written, "jobs/frontend/left-over.xml"]}))
    assert open_patch(build, "frontend", set(), _sha(build)) is None
    assert (build / MANIFEST).is_file()


def test_a_job_that_would_write_over_another_components_file_is_not_patched(build):
    manifest = json.loads((build / MANIFEST).read_text())
    teams = next(e["config"] for e in manifest["jobs"] if e["component"] == "teams-api")
    assert open_patch(build, "frontend", {teams}, _sha(build)) is None
    assert (build / MANIFEST).is_file()
