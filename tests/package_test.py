"""jobgen as a user gets it: the wheel installed in a fresh venv, used far from the source tree.

The sequence a new user runs: --version, init, then validate, compile, test from
a subfolder of the new repository, a master started, used by deploy and diff,
and stopped.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from jobgen import __version__
from tests.package import Dist, install_wheel
from tests.repos import PROJECT

pytestmark = pytest.mark.slow


def test_the_wheel_and_sdist_carry_what_jobgen_reads_at_run_time_and_only_jobgen(
    dist: Dist,
) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = wheel.namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"jobgen", f"jobgen-{__version__}.dist-info"}  # no generic top-level names
    for needed in (
        "jobgen/templates/folder.xml.j2",
        "jobgen/templates/selfdeploy.groovy.j2",
        "jobgen/groovy_lib/prod/prelude.groovy",
        "jobgen/groovy_lib/test/prelude.groovy",
        "jobgen/load/component.schema.json",
        "jobgen/load/settings.schema.json",
        "jobgen/master/pipeline/steps.groovy",
        "jobgen/starter/example.yaml",
    ):
        assert needed in names
    with tarfile.open(dist.sdist) as sdist:
        in_sdist = sdist.getnames()
    assert f"jobgen-{__version__}/jobgen/templates/folder.xml.j2" in in_sdist


@pytest.mark.slow
def test_installed_wheel_runs_init_validate_compile_test_master_deploy_and_diff(
    dist: Dist, tmp_path: Path
) -> None:
    jobgen = str(install_wheel(dist.wheel, tmp_path / "venv") / "jobgen")
    work = tmp_path / "work"
    work.mkdir()
    env = _user_env(tmp_path)

    def run(*args: str, cwd: Path = work) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [jobgen, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )
        return done

    where = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "python"), "-c", "import jobgen; print(jobgen.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(tmp_path / "venv") in where and str(PROJECT) not in where

    assert run("--version").stdout.strip() == f"jobgen {__version__}"
    init = run("init", "jobs")
    assert init.returncode == 0, init.stderr
    assert "first commit" in init.stdout
    inside = work / "jobs" / "components"  # every command from a subfolder finds the root
    validated = run("validate", cwd=inside)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    compiled = run("compile", cwd=inside)
    assert compiled.returncode == 0, compiled.stderr
    assert (work / "jobs" / "build" / "manifest.json").is_file()
    tested = run("test", cwd=inside)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "PASS example/chain/build_test_runs_build_then_test" in tested.stdout
    assert "(starting the JVM)" in tested.stderr  # said before seconds of silence

    master = subprocess.Popen(
        [jobgen, "master", "--port", "0", "--user", "me", "--home", str(tmp_path / "home")],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert master.stdout is not None
        url = master.stdout.readline().split()[3]
        token = master.stdout.readline().split()[-1]
        env.update(JOBGEN_USER="me", JOBGEN_TOKEN=token)
        deployed = run("deploy", "--url", url, cwd=inside)
        assert deployed.returncode == 0, deployed.stderr
        assert "deployed to" in deployed.stdout and " 0 created" not in deployed.stdout
        diffed = run("diff", "--url", url, cwd=inside)
        assert diffed.returncode == 0, diffed.stdout + diffed.stderr  # nothing left to change
    finally:
        master.terminate()
        out, _ = master.communicate(timeout=60)
    assert master.returncode == 0
    assert "jobgen master: stopped" in out

    # A broken installation is jobgen's fault: one line and exit 3, the traceback on request.
    (template,) = (tmp_path / "venv").glob(
        "lib/python*/site-packages/jobgen/templates/folder.xml.j2"
    )
    template.unlink()
    broken = run("compile", cwd=inside)
    assert broken.returncode == 3
    assert broken.stderr.splitlines()[-1].startswith("jobgen compile: internal error: ")
    assert "Traceback" not in broken.stderr
    debug = run("--debug", "compile", cwd=inside)
    assert debug.returncode == 3 and "Traceback" in debug.stderr


def _user_env(tmp_path: Path) -> dict[str, str]:
    """A user's environment: no source tree on any path, git able to commit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if str(PROJECT) not in p
    )
    identity = {"NAME": "A User", "EMAIL": "user@example.com"}
    for role in ("AUTHOR", "COMMITTER"):
        for key, value in identity.items():
            env[f"GIT_{role}_{key}"] = value
    return env
