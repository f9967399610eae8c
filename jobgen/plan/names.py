"""Common names of generated jobs, and the rules Jenkins applies to every name."""

from __future__ import annotations

import re

# Jenkins.checkGoodName's unsafe characters, verbatim.
UNSAFE_CHARS = "?*/\\%!@#$^&|<>[]:;"
_UNSAFE = re.compile(f"[{re.escape(UNSAFE_CHARS)}]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Jenkins' isISOControl
# ASCII letters, digits, '-' and '_': none of the rules below can refuse such a name, and nearly
# every name is one (a plan checks 14,000), so it is accepted without running them.
_PLAIN = re.compile("[A-Za-z0-9_-]+")

STEP_JOB_SUFFIX = {
    "build": "build",
    "test": "test",
    "stage": "stage",
    "release": "release",
    "integration_test": "integration-test",
}


def worker_name(component: str, step: str) -> str:
    """`frontend-build`, `frontend-integration-test`."""
    return f"{component}-{STEP_JOB_SUFFIX[step]}"


def watcher_name(component: str) -> str:
    """The job that polls the watched path and starts the pipeline."""
    return f"{component}-watch"


def pipeline_name(component: str, phases: str) -> str:
    """`frontend-build-test-stage`."""
    return f"{component}-{phases}"


def env_pipeline_name(component: str, env: str, action: str) -> str:
    """`frontend-qa-release`."""
    return f"{component}-{env}-{action}"


def jenkins_name_problem(name: str) -> str | None:
    """Why Jenkins would refuse `name` as an item name, or None when it would accept it."""
    return None if _PLAIN.fullmatch(name) else name_problem(name)


def name_problem(name: str) -> str | None:
    """`jenkins_name_problem` by every rule, without the shortcut for plain names."""
    stripped = name.strip()
    if not stripped:
        return "No name is specified"
    if stripped in (".", ".."):
        return f"“{stripped}” is not an allowed name"
    control = _CONTROL.search(name)
    if control is not None:
        return f"No control code is allowed (U+{ord(control.group()):04X})"
    unsafe = _UNSAFE.search(name)
    if unsafe is not None:
        return f"‘{unsafe.group()}’ is an unsafe character"
    if stripped.endswith("."):
        return "A name cannot end with ‘.’"
    return None
