"""Compiling many Groovy scripts in one JVM, each in its own compilation unit.

One `groovyc` run over every script would put them in one unit, where two
scripts defining the same helper class collide; this keeps the real compiler
and one JVM start, without that false failure.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from jobgen.groovy.runtime import groovy_env, groovy_tool

_CHECK = """\
def failures = []
args.each { path ->
    try {
        new GroovyClassLoader().parseClass(new File(path))
    } catch (org.codehaus.groovy.control.CompilationFailedException e) {
        failures << (path + ": " + e.message)
    }
}
failures.each { System.err.println(it) }
System.exit(failures ? 1 : 0)
"""


def compile_scripts(scripts: Sequence[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """Compile every script text with Groovy's compiler; returncode 0 when all compile."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, text in enumerate(scripts):
        path = folder / f"Script{index}.groovy"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    check = folder / "check_all.groovy"
    check.write_text(_CHECK, encoding="utf-8")
    return subprocess.run(
        [groovy_tool(), "-c", "UTF-8", str(check), *files],
        capture_output=True,
        text=True,
        env=groovy_env(),
    )
