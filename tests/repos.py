"""Real git repositories in a temp dir, made from the example components."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = PROJECT / "components"


def git(root: Path, *args: str) -> str:
    """Run git in `root` as a fixed test author; returns stdout."""
    command = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    return subprocess.run([*command, *args], check=True, capture_output=True, text=True).stdout


def make_jobs_repo(root: Path, components: Path = EXAMPLES) -> Path:
    """A committed jobs repository holding a copy of `components`; returns its components folder."""
    shutil.copytree(components, root / "components")
    shutil.copy(PROJECT / "jobgen.yaml", root / "jobgen.yaml")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "components")
    return root / "components"


def commit_all(root: Path, message: str) -> None:
    """Stage everything and commit it."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
