"""jobgen compile next to Jenkins Job Builder 6.5 on the same N synthetic components, same run.

Usage: python -m bench.vs_jjb [N] [--runs R] [--outputs DIR]   (default 1000, 1 run), from the
project root; --outputs /dev/shm puts both outputs on tmpfs.

Installs JJB 6.5 with setuptools 80.x (its fastest case) into its own venv under
.jobgen/bench/, writes a JJB workload equivalent to bench/synthetic.py's
components (a folder, seven freestyle workers and four pipelines per
component, the same commands, labels, parameters and notifications), then
times `jenkins-jobs test -o` and a cold `jobgen compile` (fresh build folder,
no cache) and prints seconds per job for each and the ratio. Each figure is
the minimum of R runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import as_installed, make_repo

VENV = Path(".jobgen/bench/jjb-6.5")
REQUIREMENTS = ["setuptools>=80,<81", "jenkins-job-builder==6.5.0"]

TEMPLATES = """\
- job-template:
    name: '{component}-{worker}'
    project-type: freestyle
    node: linux
    description: 'Synthetic service {component}: {worker}'
    properties: &discarder
      - build-discarder:
          days-to-keep: 30
          num-to-keep: 100
    parameters:
      - string: &git_hash
          name: GIT_HASH
          description: the commit to build
      - string:
          name: HEROKU_APP
          default: '{app}'
    scm:
      - git:
          url: 'https://github.com/example/monorepo.git'
          branches: ['$GIT_HASH']
    wrappers:
      - timestamps
      - timeout:
          timeout: 60
          fail: true
    builders:
      - shell: |
          #!/bin/bash -e
          cd services/{component}
          export PATH="$HOME/.nvm/versions/node/v8.12.0/bin:$PATH"
          {command}
    publishers:
      - email:
          recipients: 'team-{component}@example.com'

- job-template:
    name: '{component}-{pipeline}'
    project-type: pipeline
    description: 'Synthetic service {component}: {pipeline}'
    properties: *discarder
    parameters:
      - string: *git_hash
    dsl: |
      def results = [:]
      def run(name) {{
        build(job: name, propagate: false,
              parameters: [string(name: 'GIT_HASH', value: params.GIT_HASH)]).result
      }}
      stage('{first}') {{ results['{first}'] = run('{component}-{first}') }}
      if (results['{first}'] != 'SUCCESS') {{ currentBuild.result = results['{first}']; return }}
      stage('{second}') {{ results['{second}'] = run('{component}-{second}') }}
      {approval}
      currentBuild.result = results['{second}']
      mail to: 'team-{component}@example.com', body: env.BUILD_URL,
           subject: "${{env.JOB_NAME}} ${{currentBuild.result}}"

- job-template:
    name: '{component}'
    project-type: folder
    description: 'Synthetic service {component}'
"""

PROJECT = """\
- project:
    name: svc-{i}
    component: svc-{i}
    app: svc-{i}-qa
    approval: ''
    jobs:
      - '{{component}}'
      - '{{component}}-{{worker}}':
          worker: build
          command: npm install && npm run build
      - '{{component}}-{{worker}}':
          worker: test
          command: npm test
      - '{{component}}-{{worker}}':
          worker: integration-test
          command: npm run test:integration
      - '{{component}}-{{worker}}':
          worker: qa-stage
          command: s3cmd cp build/* s3://bucket/svc-{i}/${{{{GIT_HASH}}}}
      - '{{component}}-{{worker}}':
          worker: qa-release
          command: heroku config:set -a ${{{{HEROKU_APP}}}} URL=https://cdn.example.com/${{{{GIT_HASH}}}}
      - '{{component}}-{{worker}}':
          worker: production-stage
          app: svc-{i}
          command: s3cmd cp build/* s3://bucket/svc-{i}/${{{{GIT_HASH}}}}
      - '{{component}}-{{worker}}':
          worker: production-release
          app: svc-{i}
          command: heroku config:set -a ${{{{HEROKU_APP}}}} URL=https://cdn.example.com/${{{{GIT_HASH}}}}
      - '{{component}}-{{pipeline}}':
          pipeline: build-test
          first: build
          second: test
      - '{{component}}-{{pipeline}}':
          pipeline: integration
          first: test
          second: integration-test
      - '{{component}}-{{pipeline}}':
          pipeline: qa
          first: qa-stage
          second: qa-release
      - '{{component}}-{{pipeline}}':
          pipeline: production
          first: production-stage
          second: production-release
          approval: "input message: 'Release svc-{i}?', submitter: 'release-managers'"
"""


def install() -> Path:
    """The venv's jenkins-jobs, installed on first use."""
    jobs = VENV / "bin" / "jenkins-jobs"
    if not jobs.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", *REQUIREMENTS]
        subprocess.run(pip, check=True)
    version = subprocess.run([str(jobs), "--version"], capture_output=True, text=True, check=True)
    print(version.stdout.strip() or version.stderr.strip())
    return jobs.resolve()


def jjb_workload(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "templates.yaml").write_text(TEMPLATES)
    for i in range(count):
        (folder / f"svc-{i}.yaml").write_text(PROJECT.format(i=i))
    return folder


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def bench(count: int, runs: int, outputs: Path | None) -> None:
    jobs_command = install()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory(dir=outputs) as out:
        root = Path(tmp)
        make_repo(root / "repo", count)
        workload = jjb_workload(root / "jjb", count)
        jjb, ours = [], []
        for run in range(runs):
            written = Path(out) / f"jjb-out-{run}"
            command = [str(jobs_command), "test", "-o", str(written), str(workload)]
            jjb.append(_timed(command, root))
            cold = Path(out) / f"cold-{run}"
            ours.append(
                _timed([sys.executable, "-m", "jobgen", "compile", "-o", str(cold)], root / "repo")
            )
        jjb_jobs = len(os.listdir(Path(out) / "jjb-out-0"))
        our_jobs = sum(1 for p in (Path(out) / "cold-0" / "jobs").rglob("*.xml"))
        per_jjb, per_ours = min(jjb) / jjb_jobs * 1000, min(ours) / our_jobs * 1000
        print(f"N = {count} components, minimum of {runs} runs, load average {os.getloadavg()}")
        print(
            f"JJB 6.5 jenkins-jobs test: {min(jjb):.2f} s, {jjb_jobs} jobs, {per_jjb:.3f} ms a job"
        )
        print(
            f"`jobgen compile`, cold: {min(ours):.2f} s, {our_jobs} jobs, {per_ours:.3f} ms a job"
        )
        # The disk's cost of creating files swings from run to run: every run is shown.
        print("every run, s: JJB " + ", ".join(f"{t:.2f}" for t in jjb), end="; ")
        print("jobgen " + ", ".join(f"{t:.2f}" for t in ours))
        print(f"jobgen is {per_jjb / per_ours:.1f}x faster per job")
        # jobgen writes more jobs for a component (its stable jobs): per component is stricter.
        print(f"jobgen is {min(jjb) / min(ours):.1f}x faster per component ({count} each)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--outputs",
        type=Path,
        help="where both tools write (e.g. /dev/shm: the tools' own work without the disk's "
        "cost of creating files, which swings from run to run on a virtual disk)",
    )
    args = parser.parse_args()
    as_installed()
    bench(args.count, args.runs, args.outputs)


if __name__ == "__main__":
    main()
