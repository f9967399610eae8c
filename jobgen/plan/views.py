"""The folder view a person opens first: the component's stable jobs, not every version.

A list view (hudson.model.ListView) whose includeRegex takes every item of the
folder whose name is not a version (`{name}-v{N}-{hash}`): the stable jobs
that run the current versions. A regex, not a list of names, so the view stays
true through every deploy without anyone rewriting the folder's config.xml.
ListView matches the whole name (Pattern.matcher(name).matches(), ListView.java:255).
"""

from __future__ import annotations

import re

VIEW_NAME = "current"
# `-v{N}-{hash}` and `-v{N}-dirty{hash}` (jobgen/version/versioner.py) at the end of a name.
VERSIONED = r"-v[0-9]+-(dirty)?[0-9a-f]+"
STABLE_ONLY = rf"(?!.*{VERSIONED}$).+"


def is_listed(name: str) -> bool:
    """Whether the view lists the job `name`, as Java's Pattern.matches would decide."""
    return re.fullmatch(STABLE_ONLY, name) is not None
