"""A component folder's config.xml: its description and its `current` view (plan/views.py).

One function for the compile and for rollback, which rewrites the view to the
versions the stable jobs run after it: the same names give the same bytes, so
a folder rollback wrote is what a compile of those versions would deploy.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobgen.plan.model import Job
from jobgen.plan.specs import FolderSpec
from jobgen.render.calls import calls_line
from jobgen.render.marker import Marker
from jobgen.render.paths import relative_name
from jobgen.render.stamp import stamp
from jobgen.render.templates import render_template


def folder_xml(spec: FolderSpec, folder: str, current: Iterable[str]) -> str:
    """The folder's config before its marker; `current` are full names its view names.

    ListView keeps jobNames in a TreeSet of String.CASE_INSENSITIVE_ORDER, names relative
    to the folder (ListView.java:88, :290): written in that order, as Jenkins saves them.
    """
    names = sorted({relative_name(folder, name) for name in current}, key=str.lower)
    return render_template(
        "folder.xml.j2", description=spec.description, spec=spec, job_names=names
    )


def stamped_folder(
    job: Job, full_name: str, owner: str, current: Iterable[str]
) -> tuple[bytes, str]:
    """The folder's config.xml and content hash, marked as the compile marks it."""
    assert isinstance(job.spec, FolderSpec), f"{job.name} is not a component folder"
    xml = folder_xml(job.spec, full_name, current)
    marker = Marker(owner, item=full_name, name=job.name, component=job.component)
    return stamp(xml, marker, extra=calls_line(()))  # a folder calls nothing: an empty line
