"""Finding and running Debian's Groovy 2.4.21, the version Jenkins embeds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

JVM_DIR = Path("/usr/lib/jvm")


class GroovyNotFound(RuntimeError):
    """Groovy is not installed; the message says how to install it."""


def java_home() -> str | None:
    """JAVA_HOME as set, else the JDK that `java` on PATH belongs to.

    Debian's `groovy` script refuses to start when JAVA_HOME is unset and
    /usr/lib/jvm/default-java is absent, which is the case on these machines.
    """
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java:
        return str(Path(java).resolve().parent.parent)
    for candidate in sorted(JVM_DIR.glob("java-*-openjdk-*")):
        if (candidate / "bin" / "java").exists():
            return str(candidate)
    return None


def groovy_env() -> dict[str, str]:
    """The process environment with JAVA_HOME filled in for Groovy's launcher."""
    env = dict(os.environ)
    home = java_home()
    if home:
        env["JAVA_HOME"] = home
    return env


def groovy_tool(name: str = "groovy") -> str:
    """The path of `groovy` or `groovyc`, or GroovyNotFound with the install command."""
    path = shutil.which(name)
    if path is None:
        raise GroovyNotFound(
            f"`{name}` is not installed: run `make tools` "
            "(apt-get update && apt-get install -y groovy)"
        )
    return path
