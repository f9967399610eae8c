"""`jobgen init [DIR]`: a new jobs repository that validates, tests and deploys at once.

Writes jobgen.yaml (the pin and an owner), components/ with one commented
example and its scenarios, .gitignore and .pre-commit-config.yaml, from the
starter files shipped in the package. Versions come from git history, so a
folder that is not a repository yet gets one, with a first commit; inside an
existing repository the user commits (the command to do so is printed).
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

from jobgen import __version__
from jobgen.diagnostics import ExitCode
from jobgen.git_cli import git_answer, run_git

STARTER = resources.files("jobgen") / "starter"
# Where jobgen's pre-commit hook (.pre-commit-hooks.yaml) is published; the docs use it too.
HOOK_REPOSITORY = "https://github.com/somesite/jobgen"
FILES = {
    "jobgen.yaml": "jobgen.yaml",
    "components/example.yaml": "example.yaml",
    "components/example/tests/chain.yaml": "example-scenarios.yaml",
    ".gitignore": "gitignore",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
}
FIRST_COMMIT = "Start a jobs repository with jobgen init"


def run(folder: Path, owner: str | None = None) -> int:
    """Fill `folder`; 1 (and nothing written) when one of the files exists already."""
    taken = [name for name in FILES if (folder / name).exists()]
    if taken:
        print(
            f"jobgen init: {folder} already holds {', '.join(taken)}; nothing written "
            "(init starts a new jobs repository: pick an empty folder)",
            file=sys.stderr,
        )
        return ExitCode.INVALID
    values = {
        "@VERSION@": __version__,
        "@OWNER@": owner or owner_name(folder),
        "@HOOK_REPO@": HOOK_REPOSITORY,
    }
    for name, source in FILES.items():
        text = (STARTER / source).read_text("utf-8")
        for marker, value in values.items():
            text = text.replace(marker, value)
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    print(f"wrote {', '.join(FILES)} in {folder}")
    print(_commit(folder))
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    print(f"next: {where}jobgen validate && jobgen test && jobgen deploy")
    return ExitCode.OK


def owner_name(folder: Path) -> str:
    """The folder's name as an owner (letters, digits, dots, dashes and underscores)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-")
    return name or "jobs"


def _commit(folder: Path) -> str:
    files = [str(name) for name in FILES]
    commit_command = f"git -C {folder} add -A && git -C {folder} commit -m {FIRST_COMMIT!r}"
    if git_answer(folder, "rev-parse", "--is-inside-work-tree") is not None:
        # Someone's repository: what goes into their next commit is theirs to decide.
        return f"{folder} is inside a git repository: commit the new files with\n  {commit_command}"
    if git_answer(folder, "init", "--quiet", "--initial-branch", "main") is None:
        return f"git init failed in {folder}: run `git init` there, then\n  {commit_command}"
    run_git(folder, "add", "--", *files)
    if git_answer(folder, "commit", "--quiet", "-m", FIRST_COMMIT) is None:
        # Typically no user.name/user.email yet: git's own message says how to set them.
        return (
            f"made a git repository in {folder}, but could not commit (is git's user.name set?); "
            f"once it is:\n  git -C {folder} commit -m {FIRST_COMMIT!r}"
        )
    return f"made a git repository in {folder} with a first commit"
