import json
import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from tests.repos import make_jobs_repo


def _compile(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobgen", "compile", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )


def test_compile_writes_the_manifest_and_one_config_per_job(tmp_path):
    make_jobs_repo(tmp_path)
    result = _compile(tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text())
    jobs = manifest["jobs"]
    assert [j["name"] for j in jobs] == sorted(j["name"] for j in jobs)
    kinds = {j["kind"] for j in jobs}
    assert kinds == {"folder", "worker", "orchestration"}
    for job in jobs:
        config = tmp_path / "build" / job["config"]
        root = etree.fromstring(config.read_bytes())
        assert job["config_sha256"] in root.findtext("description")
        if job["kind"] != "folder":
            assert job["deployed_name"].startswith(f"{job['name']}-v1-")
            assert job["full_name"] == f"{job['component']}/{job['deployed_name']}"
    pipeline = next(j for j in jobs if j["name"] == "process_model")
    assert (tmp_path / "build" / pipeline["groovy"]).read_text().count("inspect_manifold-v1-") == 1
    assert pipeline["calls"] == ["estimate_price", "inspect_manifold", "measure_size"]
    assert "workflow-cps@2.90" in pipeline["plugins"]
    assert {a["name"] for a in manifest["aliases"]} >= {"process_model", "frontend-qa-release"}


def test_two_compiles_of_one_tree_are_byte_identical(tmp_path):
    make_jobs_repo(tmp_path)
    assert _compile(tmp_path, "-o", "one").returncode == 0
    assert _compile(tmp_path, "-o", "two").returncode == 0
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    assert one == two
    for path in one:
        if (tmp_path / "one" / path).is_file():
            assert (tmp_path / "one" / path).read_bytes() == (tmp_path / "two" / path).read_bytes()


def test_stale_configs_of_an_earlier_compile_are_removed(tmp_path):
    components = make_jobs_repo(tmp_path)
    assert _compile(tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text())
    gone = [
        tmp_path / "build" / j["config"] for j in manifest["jobs"] if j["component"] == "frontend"
    ]
    (components / "frontend.yaml").unlink()
    assert _compile(tmp_path).returncode == 0, "a rerun into its own folder is allowed"
    assert gone and not any(path.exists() for path in gone)


def test_invalid_input_exits_1_with_every_error_positioned(tmp_path):
    components = make_jobs_repo(tmp_path)
    (components / "broken.yaml").write_text("component: broken\nstpes: {}\ndependencies: [nope]\n")
    result = _compile(tmp_path)
    assert result.returncode == 1
    assert "components/broken.yaml:2:1" in result.stderr
    assert "did you mean" in result.stderr
    assert not (tmp_path / "build" / "manifest.json").exists()


def test_a_missing_components_folder_is_a_usage_error(tmp_path):
    result = _compile(tmp_path, "-c", "nowhere")
    assert result.returncode == 2
    assert "nowhere" in result.stderr


def test_uncommitted_inputs_are_named(tmp_path):
    components = make_jobs_repo(tmp_path)
    script = components / "model-processing" / "inspect_manifold.bash"
    script.write_text(script.read_text() + "echo changed\n")
    result = _compile(tmp_path)
    assert result.returncode == 0
    assert "uncommitted inputs" in result.stdout and "inspect_manifold" in result.stdout


def test_a_recompile_rewrites_only_what_changed(tmp_path):
    components = make_jobs_repo(tmp_path)
    assert _compile(tmp_path).returncode == 0
    again = _compile(tmp_path)
    assert " 0 files written" in again.stdout and " 0 removed" in again.stdout
    path = components / "renewal-report.yaml"
    path.write_text(path.read_text().replace("H 6 1 * *", "H 7 1 * *"))
    changed = _compile(tmp_path)
    assert changed.returncode == 0
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text())
    renewal = [j for j in manifest["jobs"] if j["component"] == "renewal-report"]
    # Five versioned renewal-report jobs get new (dirty) names: their seven old files go, seven
    # new come; the stable entries of the scheduled chain (schedule: {run:}) and of build-test
    # (a person starts it: `watch: false`) are rewritten in place, and so is the folder,
    # whose `current` view names the new versions.
    assert "10 files written, 84 unchanged, 7 removed" in changed.stdout
    chain = "renewal-report-build-test-stage-release"
    assert any(j["name"] == chain for j in renewal)
    stable = [a for a in manifest["aliases"] if a["name"] == chain]
    assert "H 7 1 * *" in (tmp_path / "build" / stable[0]["config"]).read_text()
    assert "renewal-report-build-test" in changed.stdout.splitlines()[1]
    assert ": renewal-report," not in changed.stdout  # the folder keeps its name: not listed


def test_test_mode_scripts_run_under_groovy_by_hand(tmp_path):
    # Groovy names a script's class after its file: `process_model-v1-abc.groovy` would not load.
    from jobgen.groovy.runtime import groovy_env, groovy_tool

    make_jobs_repo(tmp_path)
    assert _compile(tmp_path, "--mode", "test").returncode == 0
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text())
    pipeline = next(j for j in manifest["jobs"] if j["name"] == "process_model")
    script = tmp_path / "build" / pipeline["groovy"]
    assert script.name.startswith("process_model_v1_") and "-" not in script.name
    done = subprocess.run(
        [groovy_tool(), script.name],
        cwd=script.parent,
        env=groovy_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    # It loads and runs its body: process_model's own check of its required parameters stops it
    # (no scenario gives parameters), where a dash in the class name stopped it at loading.
    assert "ClassFormatError" not in done.stderr
    assert "JobgenAbort: parameter SOURCE_S3_FILE_PATH is required" in done.stderr


def test_a_component_file_whose_name_is_not_utf8_compiles_again_and_again(tmp_path):
    # Found walking the wheel: such a name crashed the second compile (the listing's
    # digest) and the versions of its uncommitted jobs (the content digest), exit 3.
    components = make_jobs_repo(tmp_path)
    name = os.fsdecode(b"caf\xe9.yaml")
    (components / name).write_text(
        "component: cafe\ndescription: one\nrepo: https://github.com/e/x.git\n"
        "steps:\n  build: echo ok\n"
    )
    for _ in range(2):  # a full compile, then a replay of it
        result = _compile(tmp_path)
        assert result.returncode == 0, result.stderr
        assert "cafe-build" in result.stdout + result.stderr  # uncommitted: named dirty
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text())
    assert any(job["component"] == "cafe" for job in manifest["jobs"])
