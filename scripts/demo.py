"""`make demo`: the whole flow on this repository's components/, against the embedded master.

Each stage prints the command it runs and what that command printed; the demo
stops at the first stage that fails, with that stage's exit code.
"""

from __future__ import annotations

import subprocess
import sys

STAGES = (
    ("validate the component files", ["validate", "components"]),
    ("compile them into build/", ["compile", "-c", "components", "-o", "build"]),
    ("run the Groovy pipeline scenarios", ["test", "-c", "components"]),
    ("deploy to the embedded master (.jobgen/master)", ["deploy", "-c", "components"]),
    ("deploy again: nothing left to write", ["deploy", "-c", "components"]),
    ("dry run against the master: nothing to change", ["diff", "-c", "components"]),
)


def main() -> int:
    """Run each stage, printing what it did."""
    for title, args in STAGES:
        print(f"\n== {title}\n$ jobgen {' '.join(args)}", flush=True)
        code = subprocess.call([sys.executable, "-m", "jobgen", *args])
        if code != 0:
            print(f"demo stopped: `jobgen {args[0]}` exited {code}", file=sys.stderr)
            return code
    print("\ndemo finished: build/manifest.json lists every job; the master's state is in .jobgen/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
