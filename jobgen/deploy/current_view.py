"""After rollback: each folder's `current` view names the versions its stable jobs run again.

The view names the folder's versioned jobs its stable jobs run, with what they
call in the folder (jobgen/plan/views.py). Rollback moves the stable jobs back
to older versions the compile does not describe, so the names come from the
master: the versions the stable jobs run now and, through the calls line
each versioned job carries (render/calls.py), what those call in the folder.
The folder is rendered as a compile of those versions would render it; its
content hash then differs from the compiled one, so the next deploy rewrites
the view again when it switches the stable jobs forward.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from jobgen.deploy.client import MasterClient
from jobgen.deploy.listing import Listing
from jobgen.plan.specs import FolderSpec
from jobgen.plan.views import closure
from jobgen.render.aliases import alias_state
from jobgen.render.calls import parse_calls
from jobgen.render.folder_xml import stamped_folder
from jobgen.render.model import Artifacts


def rewrite_views(
    client: MasterClient,
    listing: Listing,
    owner: str,
    artifacts: Artifacts,
    runs: Mapping[str, str],
    moved: Collection[str],
) -> list[str]:
    """Rewrite the view of each folder where a stable job of `moved` is; return those folders.

    `runs` maps every compiled stable job's full name on the master to the full name
    (below the target's root folder) it runs now; `listing` was read before rollback.
    """
    prefix = listing.prefix
    roots: dict[str, list[str]] = defaultdict(list)
    for stable, target in runs.items():
        roots[_folder_of(stable, prefix)].append(target)
    changed = {_folder_of(stable, prefix) for stable in moved}
    folders = {
        job.full_name: job
        for job in artifacts.jobs
        if isinstance(job.job.spec, FolderSpec) and job.job.spec.current_view
    }
    done = []
    for folder in sorted(changed):
        job, targets = folders.get(folder), roots[folder]
        remote = listing.items.get(prefix + folder)
        if job is None or remote is None or not listing.ours(remote, owner):
            continue  # not a component folder of this compile, or not ours: left alone
        current = closure(targets, _calls_in(listing, owner, folder))
        config, _ = stamped_folder(job.job, folder, owner, current)
        client.reconfigure(prefix + folder, config)
        done.append(folder)
    return done


def _calls_in(listing: Listing, owner: str, folder: str) -> dict[str, tuple[str, ...]]:
    """Each versioned job of ours in `folder` (full names below the root) and what it calls."""
    calls = {}
    for item in listing.owned_by(owner):
        name = item.full_name.removeprefix(listing.prefix)
        if item.is_folder or name.rpartition("/")[0] != folder:
            continue
        if alias_state(item.description) is None:  # a stable job is listed by the regex
            calls[name] = parse_calls(item.description) or ()  # no line: an older jobgen's job
    return calls


def _folder_of(full_name: str, prefix: str) -> str:
    return full_name.removeprefix(prefix).rpartition("/")[0]
