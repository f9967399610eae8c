"""Building jobgen's wheel and sdist, and installing the wheel where no source tree is near."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.repos import PROJECT


@dataclass(frozen=True)
class Dist:
    """What `python -m build` made."""

    wheel: Path
    sdist: Path


def build_dist(out: Path) -> Dist:
    """The sdist, and the wheel built from that sdist (so the sdist is proven complete too).

    Without build isolation: setuptools comes from the dev venv, so no download and
    a few seconds only.
    """
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(PROJECT)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = out.glob("jobgen-*.whl")
    (sdist,) = out.glob("jobgen-*.tar.gz")
    return Dist(wheel, sdist)


def install_wheel(wheel: Path, venv: Path) -> Path:
    """A fresh venv with the wheel and its dependencies from the index (the pip cache
    makes that quick); returns the venv's bin folder."""
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return venv / "bin"
