"""How fast does the embedded master answer a full `tree=` listing? Target: well under 1 s each.

Usage: .venv/bin/python bench/master.py [--jobs 20000] [--folders 100] [--clients 50]
       [--rounds 4] [--threads] [--in-process]

Writes a JENKINS_HOME with JOBS freestyle jobs spread over FOLDERS folders (each job
with a build), starts `jobgen master` on it (timing the load), times the first listing
of each query (cold cache), then has CLIENTS forked processes (or threads, --threads),
each with its own HTTP session, send ROUNDS full listings at once: jobgen's deploy
listing (`tree=jobs[name,description,color,_class,lastBuild[timestamp,building],inQueue,
jobs[...]]`) and python-jenkins' get_all_jobs query, alternately, each body read and
decoded as a client must. Prints p50/p95/max seconds per listing and requests/s, plus
one listing right after a write (the master rebuilds its cached answer then).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobgen.deploy.listing import tree_query
from jobgen.master import EmbeddedMaster

USER, TOKEN = "bench", "bench-token"
JOB = (
    "<?xml version='1.1' encoding='UTF-8'?>\n<project><description>job {i} managed-by: bench"
    "</description><disabled>false</disabled></project>\n"
)
FOLDER = "<com.cloudbees.hudson.plugins.folder.Folder/>\n"
PYTHON_JENKINS_TREE = "?tree=" + "jobs[url,color,name," * 10 + "jobs" + "]" * 10


def write_home(home: Path, jobs: int, folders: int) -> None:
    """A JENKINS_HOME written directly (20,000 createItem calls would time fsync, not reads)."""
    for f in range(folders):
        folder = home / "jobs" / f"folder-{f:03d}"
        folder.mkdir(parents=True)
        (folder / "config.xml").write_text(FOLDER)
    for i in range(jobs):
        job = home / "jobs" / f"folder-{i % folders:03d}" / "jobs" / f"job-{i:05d}"
        (job / "builds" / "1").mkdir(parents=True)
        (job / "config.xml").write_text(JOB.format(i=i))
        build = {
            "number": 1,
            "queue_id": i,
            "timestamp": 1_700_000_000_000 + i,
            "parameters": {},
            "cause": "user:bench",
            "result": "SUCCESS",
            "duration": 5,
        }
        (job / "builds" / "1" / "build.json").write_text(json.dumps(build))


def client(
    url: str, rounds: int, times: list[float], sizes: list[int], lock: threading.Lock
) -> None:
    """One client: its own session, `rounds` listings, durations appended to `times`."""
    session = requests.Session()
    session.auth = (USER, TOKEN)
    for r in range(rounds):
        query = tree_query(4) if r % 2 == 0 else PYTHON_JENKINS_TREE
        start = time.perf_counter()
        response = session.get(f"{url}api/json{query}", timeout=60)
        response.raise_for_status()
        elapsed = time.perf_counter() - start
        with lock:
            times.append(elapsed)
            sizes.append(len(response.content))  # decoded, as a client must


def _burst(url: str, clients: int, rounds: int, threads: bool) -> tuple[list[float], list[int]]:
    """Run every client at once, as threads of this process or as forked processes."""
    if threads:
        times: list[float] = []
        sizes: list[int] = []
        lock = threading.Lock()
        workers = [
            threading.Thread(target=client, args=(url, rounds, times, sizes, lock))
            for _ in range(clients)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return times, sizes
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.starmap(_process_client, [(url, rounds)] * clients)
    return [t for r in results for t in r[0]], [n for r in results for n in r[1]]


def _process_client(url: str, rounds: int) -> tuple[list[float], list[int]]:
    times: list[float] = []
    sizes: list[int] = []
    client(url, rounds, times, sizes, threading.Lock())
    return times, sizes


def run(
    jobs: int, folders: int, clients: int, rounds: int, in_process: bool, threads: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        start = time.perf_counter()
        write_home(home, jobs, folders)
        took = time.perf_counter() - start
        print(f"wrote JENKINS_HOME: {jobs} jobs in {folders} folders in {took:.2f} s")
        start = time.perf_counter()
        with _master(home, in_process) as url:
            where = "in this process" if in_process else "as `jobgen master` (a subprocess)"
            print(f"master {where} loaded and listening in {time.perf_counter() - start:.2f} s")
            cold = max(_one_listing(url, tree_query(4)), _one_listing(url, PYTHON_JENKINS_TREE))
            start = time.perf_counter()
            times, sizes = _burst(url, clients, rounds, threads)
            wall = time.perf_counter() - start
            after_write = _listing_after_write(url)
        _report(times, sizes, wall, clients, rounds, cold, after_write)


@contextmanager
def _master(home: Path, in_process: bool) -> Iterator[str]:
    """The master's URL: started here, or as `python -m jobgen master` stopped by SIGTERM."""
    if in_process:
        with EmbeddedMaster.start(home=home, user=USER, token=TOKEN) as master:
            yield master.url
        return
    command = [sys.executable, "-m", "jobgen", "master", "--port", "0", "--home", str(home)]
    proc = subprocess.Popen(
        [*command, "--user", USER, "--token", TOKEN], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if not match:
            raise SystemExit(f"jobgen master did not start: {line!r}")
        yield match.group(0)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _one_listing(url: str, query: str) -> float:
    start = time.perf_counter()
    requests.get(f"{url}api/json{query}", auth=(USER, TOKEN), timeout=60).raise_for_status()
    return time.perf_counter() - start


def _listing_after_write(url: str) -> float:
    requests.post(
        f"{url}job/folder-000/createItem",
        params={"name": "fresh"},
        data=JOB.format(i=-1),
        headers={"Content-Type": "text/xml"},
        auth=(USER, TOKEN),
        timeout=60,
    ).raise_for_status()
    return _one_listing(url, tree_query(4))


def _report(
    times: list[float],
    sizes: list[int],
    wall: float,
    clients: int,
    rounds: int,
    cold: float,
    after_write: float,
) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{clients} clients x {rounds} listings = {len(times)} requests in {wall:.2f} s "
        f"({len(times) / wall:.1f} requests/s), body {max(sizes) / 1e6:.1f} MB"
    )
    print(
        f"per listing: p50 {statistics.median(ordered):.3f} s, p95 {p95:.3f} s, "
        f"max {ordered[-1]:.3f} s"
    )
    print(f"first listing of a query (cold cache): {cold:.3f} s")
    print(f"listing right after a write (cache rebuilt): {after_write:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20_000)
    parser.add_argument("--folders", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--in-process", action="store_true", help="the master shares this process")
    parser.add_argument("--threads", action="store_true", help="clients as threads sharing a GIL")
    args = parser.parse_args()
    run(args.jobs, args.folders, args.clients, args.rounds, args.in_process, args.threads)


if __name__ == "__main__":
    main()
