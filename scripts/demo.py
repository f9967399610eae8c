"""`make demo`: compile components/ (deploying comes with a later issue)."""

from __future__ import annotations

import subprocess
import sys


def main() -> int:
    """Run each demo stage, printing what it did."""
    print("$ jobgen validate components/", flush=True)
    code = subprocess.call([sys.executable, "-m", "jobgen", "validate", "components"])
    return code


if __name__ == "__main__":
    raise SystemExit(main())
