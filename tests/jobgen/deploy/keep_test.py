"""Prune never breaks what can run: after any deploy, rollback, prune, every stable job works.

Against the embedded master with pipelines running (tests/lifecycle.py).
"""

from __future__ import annotations

import pytest

from jobgen.deploy.keep import keep_set
from jobgen.deploy.listing import Listing, RemoteItem
from jobgen.render.aliases import ALIAS_PREFIX
from jobgen.render.calls import calls_line
from jobgen.render.marker import Marker, format_marker
from tests.lifecycle import Life, living, release_params

OWNER = "somesite-jobs"


def _every_stable_job_succeeds(life: Life) -> None:
    """Start every enabled stable job as its users do; a release is approved once, by hand."""
    # The no-op master archives nothing: renewal-report's build archives the metrics its
    # alerts read (components/renewal-report.yaml), as the real step does, above the threshold.
    metrics = {"out/metrics.json": b'{"renewal_rate": 0.74, "renewals": 212, "expected": 287}'}
    for job in life.server.get_all_jobs():
        if job["fullname"].startswith("renewal-report/renewal-report-build-v"):
            life.master.set_result(job["fullname"], "SUCCESS", artifacts=metrics)
    results = {}
    for full_name in sorted(life.stable()):
        params = release_params(life, full_name)
        results[full_name] = life.run(full_name, params, approve=(full_name,))["result"]
    failed = {name: result for name, result in results.items() if result != "SUCCESS"}
    assert results and not failed, {name: _last_log(life, name) for name in failed}


def _last_log(life: Life, full_name: str) -> str:
    number = life.server.get_job_info(full_name)["lastBuild"]["number"]
    return life.console(full_name, number)[-600:]


@pytest.mark.slow
def test_after_deploy_rollback_prune_every_stable_job_runs_to_success(tmp_path):
    with living(tmp_path) as life:
        life.deploy()
        for component in ("frontend", "model-processing", "platform-api"):
            life.commit(component)
        life.deploy()
        life.rollback()  # the stable jobs run v1 again: prune must keep all v1 calls
        life.prune()
        _every_stable_job_succeeds(life)
        life.deploy()  # forward again, then away from both
        life.commit("frontend")
        life.deploy()
        life.prune()
        _every_stable_job_succeeds(life)
        life.rollback()  # rollback's target survived the prune, with everything it calls
        _every_stable_job_succeeds(life)


def _item(name: str, line: str, disabled: bool = False) -> RemoteItem:
    marker = Marker(OWNER, name, name.rpartition("/")[2], "c")
    description = f"{format_marker(marker)}\n{line}"  # the marker first, as jobgen writes it
    return RemoteItem(name, False, marker, description, None, False, False, disabled)


def test_the_keep_set_follows_calls_transitively_from_what_can_run():
    items = [
        _item("c/entry", f"{ALIAS_PREFIX} target=c/chain-v2 previous=c/chain-v1"),
        _item("c/chain-v1", calls_line(["c/middle-v1"])),
        _item("c/middle-v1", calls_line(["d/worker-v1"])),
        _item("d/worker-v1", calls_line([])),
        _item("c/chain-v2", calls_line([])),
        _item("c/chain-v0", calls_line(["d/worker-v0"])),  # nothing runs it: free to go
        _item("d/worker-v0", calls_line([])),
        _item("c/gone", f"{ALIAS_PREFIX} target=c/chain-v0", disabled=True),  # removed
    ]
    listing = Listing({item.full_name: item for item in items})
    kept = keep_set(listing, OWNER, "", current={"c/entry", "c/chain-v2"})
    assert kept >= {"c/entry", "c/chain-v2", "c/chain-v1", "c/middle-v1", "d/worker-v1"}
    assert not kept & {"c/chain-v0", "d/worker-v0", "c/gone"}
    # Whatever is queued or running keeps its own closure too.
    kept = keep_set(listing, OWNER, "", current=set(), queued={"c/chain-v0"})
    assert {"c/chain-v0", "d/worker-v0"} <= kept
