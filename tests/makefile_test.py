"""`make demo` and `make test` on a fresh machine say what they do while they install."""

import subprocess

from tests.repos import PROJECT


def _recipe(target: str) -> list[str]:
    # --dry-run --always-make: the recipe a fresh machine runs, without running it.
    return subprocess.run(
        ["make", "--dry-run", "--always-make", target],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def test_the_venv_install_announces_itself_and_shows_pips_progress():
    recipe = _recipe("deps")
    install = next(i for i, line in enumerate(recipe) if "-e '.[dev]'" in line)
    assert any(line.startswith('echo "== making .venv') for line in recipe[:install])
    assert " -q" not in recipe[install]  # pip's Collecting/Installing lines are the progress


def test_the_demo_prints_a_line_per_step_before_running_it():
    # Then scripts/demo.py prints `== step` and the command before each stage.
    assert any(line.startswith('echo "== checking Debian') for line in _recipe("demo"))
