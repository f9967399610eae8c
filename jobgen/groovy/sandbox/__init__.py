"""jobgen's Groovy sandbox: Jenkins' script-security rules, run by our own Groovy.

The Groovy classes in this folder (one per file, found by name through a
GroovyClassLoader classpath) rewrite sandboxed code at compile time so every
call is checked against `whitelist.txt` before it runs; a refused call throws
"Scripts not permitted to use ...", Jenkins' message. Two harnesses turn it on:
the embedded master's pipeline runtime (jobgen/master/pipeline) and `jobgen
test` (jobgen/groovy/driver.groovy). docs/sandbox.md says what it checks.
"""

from __future__ import annotations

from pathlib import Path

SANDBOX_DIR = Path(__file__).resolve().parent
WHITELIST = SANDBOX_DIR / "whitelist.txt"
# The last line of the test-mode mocks: `jobgen test` sandboxes from the line after it.
MOCKS_END_MARKER = "// ---- jobgen: the mocks end here; what follows runs in the sandbox ----"


def sandbox_first_line(text: str, body_first: int) -> int:
    """The first sandboxed line of a test-mode script: after the mocks, else the body's first."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line == MOCKS_END_MARKER:
            return number + 1
    return body_first
