"""Shared fixtures. Tests mirror the source tree: jobgen/x/y.py -> tests/jobgen/x/y_test.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jobgen.compiler import compile_tree
from jobgen.master import EmbeddedMaster
from jobgen.render.model import Artifacts
from jobgen.render.plugins import MINIMUM
from tests.masters import TOKEN, USER
from tests.package import Dist, build_dist
from tests.repos import make_jobs_repo


@pytest.fixture
def master(tmp_path: Path) -> Iterator[EmbeddedMaster]:
    """An embedded master over real HTTP on loopback, with every plugin jobgen renders."""
    with EmbeddedMaster.start(
        home=tmp_path / "home", user=USER, token=TOKEN, quiet_period=0
    ) as running:
        running.set_plugins({name: f"{version}.1" for name, version in MINIMUM.items()})
        yield running


@pytest.fixture
def components(tmp_path: Path) -> Path:
    """A committed copy of the example repository; its components folder."""
    return make_jobs_repo(tmp_path / "repo")


@pytest.fixture
def artifacts(components: Path) -> Artifacts:
    """The example repository compiled in prod mode."""
    result = compile_tree(components)
    assert result.artifacts is not None, result.diagnostics
    return result.artifacts


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """jobgen's wheel and sdist, built once per test session."""
    return build_dist(tmp_path_factory.mktemp("dist"))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests first, so that `make unit`'s two workers (pytest-xdist) end together.

    Under `--dist loadgroup` each test is dispatched alone, except groups, which run
    whole on one worker: the tests of a module with a module-scoped fixture (built once,
    not once per worker), and those that build jobgen's wheel (`dist`: `python -m build`
    writes jobgen.egg-info into the source tree, which two workers must not do at once).
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable
    if config.getoption("dist", "no") != "loadgroup":
        return
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        defs = fixtures.name2fixturedefs if fixtures else {}
        if "dist" in defs:
            item.add_marker(pytest.mark.xdist_group("dist"))
        elif any(d[-1].scope == "module" for d in defs.values()):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.partition("::")[0]))
