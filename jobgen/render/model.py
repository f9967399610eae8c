"""What the renderer returns: the bytes to write and deploy, one entry per job."""

from __future__ import annotations

from dataclasses import dataclass

from jobgen.plan.model import Job
from jobgen.plan.stable import StableJob


@dataclass(frozen=True)
class RenderedJob:
    """A job's config.xml (and compiled Groovy, for pipelines) under its deployed name."""

    job: Job
    full_name: str  # folder/deployed-name, as the master addresses it
    deployed_name: str
    version: int
    git_hash: str
    config_xml: bytes
    config_sha256: str
    groovy: str | None = None
    plugins: tuple[str, ...] = ()  # shortName@minimum-version the XML needs


@dataclass(frozen=True)
class RenderedAlias:
    """A stable job under the plain common name: it runs the deployed version, or watches.

    Stable jobs are the only jobs deploy changes in place; it switches them last.
    """

    name: str
    component: str
    full_name: str  # folder/common name
    target: str  # full name of the deployed version it runs (a watcher: the entry it starts)
    config_xml: bytes
    config_sha256: str
    stable: StableJob | None = None  # what it was rendered from: switches re-render it
    content: str = ""  # hash of its XML without the state line: a changed trigger shows here
    plugins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Artifacts:
    """Every rendered job, sorted by common name, and the aliases of the entry points."""

    jobs: tuple[RenderedJob, ...]
    aliases: tuple[RenderedAlias, ...] = ()


Rendered = tuple[str | None, bytes, str]  # compiled Groovy, config.xml, content hash
Entry = tuple[object, ...]  # what a render cache keeps of one render: plain values
Files = tuple[tuple[str, str], ...]  # (path in the build folder, sha256), config.xml first


@dataclass(frozen=True)
class Kept:
    """A job or stable job the build folder already holds, as an earlier compile wrote it.

    `item` carries everything the manifest says of it but its bytes (its config_xml
    is empty, its groovy None); `files` are its paths in the build folder, config.xml
    first, with the sha256 of each. Only `jobgen compile`'s build writer receives one.
    """

    item: RenderedJob | RenderedAlias
    files: Files
