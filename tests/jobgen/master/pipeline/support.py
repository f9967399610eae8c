"""An embedded master running pipelines, with the example components deployed by jobgen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from jobgen.compiler import compile_tree
from jobgen.deploy.client import MasterClient
from jobgen.deploy.deployer import deploy
from jobgen.deploy.targets import Target
from jobgen.functional.platform import CallbackListener
from jobgen.master import EmbeddedMaster
from tests.repos import make_jobs_repo

USER, TOKEN = "platform", "0123456789abcdef0123456789abcdef"


@dataclass(frozen=True)
class Estate:
    """The running master, the callback listener, and the deployed names by common name."""

    master: EmbeddedMaster
    listener: CallbackListener
    names: dict[str, str]  # common name -> full name of its deployed version
    components: Path

    def submit(self, job: str, key: str, **extra: str) -> requests.Response:
        """POST buildWithParameters as a platform application does, callbacks keyed by `key`."""
        data = {
            "SOURCE_S3_FILE_PATH": f"s3://uploads/{key}.stl",
            "RESULT_S3_FILE_PATH": f"s3://results/{key}/",
            "REGISTRATION_RETURN_URL": self.listener.url("register", key),
            "REPORT_RETURN_URL": self.listener.url("report", key),
            **extra,
        }
        path = "".join(f"job/{part}/" for part in job.split("/"))
        return requests.post(
            f"{self.master.url}{path}buildWithParameters",
            data=data,
            auth=(USER, TOKEN),
            allow_redirects=False,
            timeout=30,
        )


@contextmanager
def deployed_estate(tmp: Path) -> Iterator[Estate]:
    """Start a pipeline-running master and a listener; deploy the examples with jobgen."""
    components = make_jobs_repo(tmp / "repo")
    compiled = compile_tree(components)
    assert compiled.artifacts is not None
    names = {rendered.job.name: rendered.full_name for rendered in compiled.artifacts.jobs}
    with (
        EmbeddedMaster.start(
            tmp / "home", USER, TOKEN, run_pipelines=True, quiet_period=0
        ) as master,
        CallbackListener.start() as listener,
    ):
        client = MasterClient(Target("test", master.url, USER, TOKEN))
        deploy(compiled.artifacts, client, compiled.owner, force=False, workers=8)
        yield Estate(master, listener, names, components)
