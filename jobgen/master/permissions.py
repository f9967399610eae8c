"""Jenkins' permissions, the roles this master offers, and the check each endpoint makes.

Which endpoint checks which permission follows jenkinsci/jenkins (docs/jenkins-facts.md,
strictmaster): Overall/Administer implies every permission; Job/Configure implies
Job/ExtendedRead (config.xml GET).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    """A Jenkins permission: its id (X-Required-Permission) and the title users see."""

    id: str
    title: str
    implied_by: Permission | None = None


ADMINISTER = Permission("hudson.model.Hudson.Administer", "Overall/Administer")
READ = Permission("hudson.model.Hudson.Read", "Overall/Read", ADMINISTER)
SYSTEM_READ = Permission("hudson.model.Hudson.SystemRead", "Overall/SystemRead", ADMINISTER)
MANAGE = Permission("hudson.model.Hudson.Manage", "Overall/Manage", ADMINISTER)
ITEM_READ = Permission("hudson.model.Item.Read", "Job/Read", ADMINISTER)
CREATE = Permission("hudson.model.Item.Create", "Job/Create", ADMINISTER)
CONFIGURE = Permission("hudson.model.Item.Configure", "Job/Configure", ADMINISTER)
EXTENDED_READ = Permission("hudson.model.Item.ExtendedRead", "Job/ExtendedRead", CONFIGURE)
DELETE = Permission("hudson.model.Item.Delete", "Job/Delete", ADMINISTER)
BUILD = Permission("hudson.model.Item.Build", "Job/Build", ADMINISTER)
CANCEL = Permission("hudson.model.Item.Cancel", "Job/Cancel", ADMINISTER)
RUN_DELETE = Permission("hudson.model.Run.Delete", "Run/Delete", ADMINISTER)

ALL = (
    ADMINISTER,
    READ,
    SYSTEM_READ,
    MANAGE,
    ITEM_READ,
    CREATE,
    CONFIGURE,
    EXTENDED_READ,
    DELETE,
    BUILD,
    CANCEL,
    RUN_DELETE,
)
BY_TITLE = {p.title: p for p in ALL}

# The roles tests and `jobgen master` hand out (matrix-auth grants of a typical setup).
ROLES: dict[str, frozenset[Permission]] = {
    "admin": frozenset({ADMINISTER}),
    "deployer": frozenset({READ, ITEM_READ, CREATE, CONFIGURE, DELETE}),
    # Read-only users of a typical setup also see configs (Job/ExtendedRead), secrets masked.
    "reader": frozenset({READ, ITEM_READ, EXTENDED_READ}),
}


def grants(granted: frozenset[Permission], wanted: Permission) -> bool:
    """Whether a set of granted permissions holds `wanted`, directly or through an implier."""
    step: Permission | None = wanted
    while step is not None:
        if step in granted:
            return True
        step = step.implied_by
    return False


def role(name: str) -> frozenset[Permission]:
    """The permissions of a named role, or of a comma-separated list of titles."""
    if name in ROLES:
        return ROLES[name]
    titles = [t.strip() for t in name.split(",") if t.strip()]
    unknown = [t for t in titles if t not in BY_TITLE]
    if unknown:
        raise ValueError(f"unknown permission {unknown[0]!r} (roles: {', '.join(ROLES)})")
    return frozenset(BY_TITLE[t] for t in titles)
