"""The sandbox's classes, compiled once: a JVM then loads them instead of compiling nine files.

Compiling the sandbox's Groovy at every JVM start costs seconds (bench/RESULTS.md);
`groovyc` compiles it once per content into a cache folder, which each harness
puts on its class path. Without groovyc, or if it fails, the harness compiles
the sources itself (the source folder is a class path too).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jobgen.groovy.runtime import GroovyNotFound, groovy_env, groovy_tool
from jobgen.groovy.sandbox import SANDBOX_DIR

COMPILE_TIMEOUT_S = 300
MARKER = "JobgenSandbox.class"


def sources() -> list[Path]:
    """The sandbox's Groovy files, in a fixed order."""
    return sorted(SANDBOX_DIR.glob("*.groovy"))


def cache_root() -> Path:
    """Where compiled classes are kept: $XDG_CACHE_HOME/jobgen, else ~/.cache/jobgen."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jobgen"


def digest(files: list[Path]) -> str:
    """What the compiled classes depend on: every source's name and bytes, and the compiler."""
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(str(shutil.which("groovyc")).encode())
    return h.hexdigest()[:16]


def classpath(root: Path | None = None) -> Path:
    """A folder holding the compiled sandbox, compiled now if needed; else the source folder."""
    files = sources()
    target = (root or cache_root()) / f"groovy-sandbox-{digest(files)}"
    if (target / MARKER).exists():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".sandbox-", dir=target.parent))
        command = [groovy_tool("groovyc"), "-d", str(work), *map(str, files)]
        subprocess.run(
            command, env=groovy_env(), capture_output=True, check=True, timeout=COMPILE_TIMEOUT_S
        )
        try:
            work.rename(target)  # atomic: a concurrent compile that won keeps its folder
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    except (OSError, subprocess.SubprocessError, GroovyNotFound):
        return SANDBOX_DIR
    return target if (target / MARKER).exists() else SANDBOX_DIR
