"""`jobgen compile`: placeholder until its issue lands."""

from __future__ import annotations

import sys
from typing import Any


def run(*args: Any, **kwargs: Any) -> int:
    """Not built yet."""
    print("jobgen compile: not built yet", file=sys.stderr)
    return 3
