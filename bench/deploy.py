"""Deploy N synthetic components to the embedded master: first, no-op, after one change.

Usage: python -m bench.deploy [N] [--workers W]   (default: 1000 components, 8 workers),
from the project root. Prints, for each deploy, seconds and the requests the
master served (writes are POSTs), taken from the master's own request log.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from bench.synthetic import make_repo
from jobgen.compiler import compile_tree
from jobgen.deploy.client import MasterClient
from jobgen.deploy.deployer import deploy
from jobgen.deploy.targets import Target
from jobgen.master import EmbeddedMaster
from jobgen.render.plugins import MINIMUM

USER, TOKEN = "bench", "0123456789abcdef0123456789abcdef"


def _round(
    label: str, components: Path, master: EmbeddedMaster, workers: int, verify: bool = False
) -> None:
    result = compile_tree(components)
    assert result.artifacts is not None, result.diagnostics
    target = Target(name="bench", url=master.url, user=USER, token=TOKEN)
    before = len(master.requests)
    start = time.perf_counter()
    client = MasterClient(target)
    report = deploy(result.artifacts, client, result.owner, workers=workers, verify=verify)
    seconds = time.perf_counter() - start
    served = master.requests[before:]
    posts = sum(1 for r in served if r.method == "POST")
    print(
        f"  {label:<28} {seconds:7.2f} s  {len(served):6d} requests ({posts} writes): "
        f"{len(report.created)} created, {report.unchanged} unchanged, "
        f"{len(report.aliases)} stable jobs switched"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        components = make_repo(root / "repo", args.count)
        with EmbeddedMaster.start(home=root / "home", user=USER, token=TOKEN) as master:
            master.set_plugins({name: f"{version}.1" for name, version in MINIMUM.items()})
            print(f"N = {args.count} components, {args.workers} workers")
            _round("first deploy", components, master, args.workers)
            _round("no-op redeploy", components, master, args.workers)
            _round("no-op redeploy --verify", components, master, args.workers, verify=True)
            changed = components / "svc-7.yaml"
            changed.write_text(changed.read_text().replace("npm test", "npm test -- --ci"))
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(root / "repo"),
                    "-c",
                    "user.name=b",
                    "-c",
                    "user.email=b@b",
                    "commit",
                    "-qam",
                    "svc-7: ci tests",
                ],
                check=True,
            )
            _round("redeploy after one change", components, master, args.workers)


if __name__ == "__main__":
    main()
