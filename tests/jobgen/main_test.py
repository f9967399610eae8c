"""The command line as a user meets it: help, exit codes, errors, pipes, where it runs."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobgen import __version__
from jobgen.main import build_parser, main
from tests.repos import make_jobs_repo


def test_version_flag_prints_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exit_:
        assert exit_.code == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "jobgen", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


# ---- CLI manners ----

JOBGEN = [sys.executable, "-m", "jobgen"]


def _jobgen(cwd: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [*JOBGEN, *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env
    )


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_subcommand_has_a_one_line_description_in_help_and_its_own_help():
    top = subprocess.run([*JOBGEN, "--help"], capture_output=True, text=True).stdout
    for name, parser in _subparsers().items():
        assert parser.description and "\n" not in parser.description, name
        assert parser.description in " ".join(top.split()), name
        own = parser.format_help()
        assert " ".join(parser.description.split()) in " ".join(own.split())


def test_every_option_has_a_help_text_and_shows_its_default():
    for name, parser in _subparsers().items():
        text = " ".join(parser.format_help().split())
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"jobgen {name} {action.dest}: no help text"
            if action.option_strings and action.default not in (None, False, []):
                assert f"default: {action.default}" in text or "default" in action.help, (
                    f"jobgen {name} {action.option_strings[0]}: default not shown"
                )


def test_top_level_help_is_a_user_text_with_the_exit_codes():
    result = subprocess.run([*JOBGEN, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "only module that touches argparse" not in result.stdout
    assert "jobgen init" in result.stdout and "exit codes" in result.stdout


def test_version_prints_the_version_from_the_command_line(tmp_path):
    result = _jobgen(tmp_path, "--version")
    assert result.stdout.strip() == f"jobgen {__version__}"


MISSING = ("validate", "compile", "test", "graph", "deploy", "diff", "prune", "rollback")


def test_a_missing_components_folder_is_one_message_and_exit_2_from_every_command(tmp_path):
    (tmp_path / "jobgen.yaml").write_text(f"jobgen: {__version__}\n")
    (tmp_path / "sub").mkdir()
    seen = set()
    for command in (*MISSING, "install-hook"):
        result = _jobgen(tmp_path / "sub", command)
        assert result.returncode == 2, (command, result.stderr)
        assert "Traceback" not in result.stderr
        seen.add(result.stderr.strip().removeprefix(f"jobgen {command}: "))
    assert seen == {"error: ../components: no such folder of component files"}
    affected = _jobgen(tmp_path / "sub", "affected", "--since", "HEAD")
    assert affected.returncode == 2
    assert "../components: no such folder of component files" in affected.stderr
    for command in (*MISSING[1:], "install-hook"):  # validate takes files: its -c is PATH
        named = _jobgen(tmp_path, command, "-c", "nope")
        assert (named.returncode, named.stderr) == (
            2,
            f"jobgen {command}: error: nope: no such folder of component files\n",
        )


def test_outside_any_jobs_repository_every_command_says_to_run_init(tmp_path):
    for command in MISSING:
        result = _jobgen(tmp_path, command)
        assert result.returncode == 2
        assert "run `jobgen init`" in result.stderr


def test_every_command_finds_the_root_from_a_subfolder(tmp_path):
    components = make_jobs_repo(tmp_path / "repo")
    deep = components / "model-processing" / "tests"
    assert _jobgen(deep, "validate").returncode == 0
    compiled = _jobgen(deep, "compile")
    assert compiled.returncode == 0, compiled.stderr
    assert (tmp_path / "repo" / "build" / "manifest.json").is_file()
    assert not (deep / "build").exists()
    graph = _jobgen(deep, "graph")
    assert graph.returncode == 0 and "frontend" in graph.stdout
    # -k matching nothing exits before the JVM starts: the scenarios were found from here.
    assert _jobgen(deep, "test", "-k", "no-such-scenario").returncode == 5
    deployed = _jobgen(deep, "deploy")
    assert deployed.returncode == 0, deployed.stderr
    assert (tmp_path / "repo" / ".jobgen" / "master").is_dir()
    assert not (deep / ".jobgen").exists()


def test_test_k_matching_nothing_exits_5_as_pytest_does(tmp_path):
    make_jobs_repo(tmp_path / "repo")
    result = _jobgen(tmp_path / "repo", "test", "-k", "nothing-is-called-this")
    assert result.returncode == 5
    assert "no scenario matches -k 'nothing-is-called-this'" in result.stderr
    assert "passed" not in result.stdout


def test_rollback_with_nothing_to_roll_back_exits_0_and_says_so(tmp_path):
    make_jobs_repo(tmp_path / "repo")
    result = _jobgen(tmp_path / "repo", "rollback")
    assert result.returncode == 0, result.stderr
    assert "nothing to roll back" in result.stdout


def test_a_400_from_the_master_is_one_line_and_exit_1(tmp_path, master):
    from tests.masters import TOKEN, USER

    make_jobs_repo(tmp_path / "repo")
    env = {**os.environ, "JOBGEN_USER": USER, "JOBGEN_TOKEN": TOKEN}
    assert _jobgen(tmp_path / "repo", "deploy", "--url", master.url, env=env).returncode == 0
    # Parameters for a job that takes none: the master answers 400 "is not parameterized".
    argv = ["trigger", "frontend-watch", "--param", "X=1", "--url", master.url]
    result = _jobgen(tmp_path / "repo", *argv, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "400" in result.stderr


def test_an_unwritable_output_is_one_line_not_a_traceback(tmp_path):
    make_jobs_repo(tmp_path / "repo")
    (tmp_path / "repo" / "out").write_text("a file, not a folder\n")
    result = _jobgen(tmp_path / "repo", "compile", "-o", "out")
    assert result.returncode in (1, 2)  # the build guard calls it a usage error
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_a_closed_pipe_exits_quietly(tmp_path):
    # `jobgen graph | head -1` once head has gone: the reader closes before jobgen writes.
    make_jobs_repo(tmp_path / "repo")
    process = subprocess.Popen(
        [*JOBGEN, "graph", "--jobs"],
        cwd=tmp_path / "repo",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141  # 128 + SIGPIPE, as a shell reports `yes | head`
    assert err == ""


@pytest.mark.parametrize("flag", ["", "--debug"])
def test_an_internal_error_is_one_line_and_exit_3_with_the_traceback_only_under_debug(
    flag, monkeypatch, capsys, tmp_path
):
    # An internal error is a bug, which cannot be run on purpose: a command that raises stands in.
    from jobgen.commands import graph

    def broken(*args: object, **kwargs: object) -> int:
        raise KeyError("a bug")

    make_jobs_repo(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setattr(graph, "run", broken)
    code = main([flag, "graph"] if flag else ["graph"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.splitlines()[-1].startswith("jobgen graph: internal error: KeyError: 'a bug'")
    assert ("Traceback" in err) == bool(flag)


def _compile_raising(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: object, name: str, error: OSError
) -> int:
    """`jobgen compile` of the examples with `module.name` raising `error`: its exit code."""

    def failing(*args: object, **kwargs: object) -> None:
        raise error

    make_jobs_repo(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setattr(module, name, failing)
    return main(["compile"])


def test_a_template_missing_from_the_installation_is_an_internal_error_not_a_write_error(
    monkeypatch, capsys, tmp_path
):
    # Rendering and writing run together (jobgen/jobgen/parallel.py): an OSError of the
    # render (a broken installation) must not pass for the build folder's fault (exit 2).
    from jobgen.render import renderer

    template = Path(renderer.__file__).parent.parent / "templates" / "folder.xml.j2"
    missing = FileNotFoundError(2, "No such file or directory", str(template))
    assert _compile_raising(monkeypatch, tmp_path, renderer, "render_template", missing) == 3
    err = capsys.readouterr().err
    assert "internal error" in err.splitlines()[-1] and "cannot write" not in err


def test_a_build_folder_that_cannot_be_written_midway_is_one_line_and_exit_2(
    monkeypatch, capsys, tmp_path
):
    from jobgen.output import build_dir

    full = OSError(28, "No space left on device", "build/jobs/frontend.xml")
    assert _compile_raising(monkeypatch, tmp_path, build_dir, "write_file", full) == 2
    err = capsys.readouterr().err
    assert err == "jobgen compile: cannot write build/jobs/frontend.xml: No space left on device\n"
