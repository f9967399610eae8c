"""Synthetic jobs repositories for the benchmarks: N components like the examples."""

from __future__ import annotations

import compileall
import subprocess
from pathlib import Path

import jobgen
from jobgen import __version__

COMPONENT = """\
component: svc-{i}
description: Synthetic service {i}
repo: https://github.com/example/monorepo.git
branch: main
path: services/svc-{i}
requirements:
  node: 8.12.0
  labels: [linux]
steps:
  build: [npm install, npm run build]
  test: npm test
  stage: s3cmd cp build/* s3://bucket/svc-{i}/${{GIT_HASH}}
  release: heroku config:set -a ${{HEROKU_APP}} URL=https://cdn.example.com/${{GIT_HASH}}
  integration_test: npm run test:integration
environments:
  qa: {{variables: {{HEROKU_APP: svc-{i}-qa}}}}
  production: {{variables: {{HEROKU_APP: svc-{i}}}, approval: release-managers}}
dependencies: [{deps}]
notify: {{on: [failure, fixed], email: [team-{i}@example.com]}}
"""


def as_installed() -> None:
    """Compile jobgen's modules to bytecode, as `pip install` of the wheel does.

    The benchmarks run the editable install; where PYTHONDONTWRITEBYTECODE is set (this
    machine sets it), every `jobgen` command would compile its modules from source, about
    0.1 s that no installed copy pays. `make deps` does the same.
    """
    compileall.compile_dir(Path(jobgen.__file__).parent, quiet=1)


def make_repo(root: Path, count: int) -> Path:
    """A committed jobs repository with `count` components; returns its components folder."""
    components = root / "components"
    components.mkdir(parents=True)
    (root / "jobgen.yaml").write_text(f"jobgen: {__version__}\n")
    # As `jobgen init` writes it, with the benchmarks' other build folders: outputs are
    # untracked noise git would otherwise list in every `git status` a compile runs.
    (root / ".gitignore").write_text("build/\n.jobgen/\ncold-*/\nphases-*/\n")
    for i in range(count):
        # Like a real estate: ten shared services, every other one depends on two of them.
        shared = [] if i < 10 else sorted({i % 10, (i // 10) % 10})
        deps = ", ".join(f"svc-{j}" for j in shared)
        text = COMPONENT.format(i=i, deps=deps)
        (components / f"svc-{i}.yaml").write_text(text)
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "components"], check=True)
    return components
