"""evolve is dataclasses.replace: the same copies, the same errors, for every kind of class."""

from __future__ import annotations

import dataclasses
from dataclasses import InitVar, dataclass, field

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.plan.evolve import evolve
from jobgen.plan.model import Call, Job
from jobgen.plan.specs import FolderSpec


def _job() -> Job:
    return Job(
        name="svc-build",
        component="svc",
        kind="worker",
        folder="svc",
        template="worker.xml.j2",
        inputs=("components/svc.yaml",),
        pos=SourcePos("components/svc.yaml", 3, 5),
        calls=(Call("svc-test", SourcePos("components/svc.yaml", 4, 1)),),
        spec=FolderSpec("a folder"),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"inputs": ("a", "b")},
        {"spec": None, "calls": ()},
        {"entrypoint": True, "external": ("x/y",)},
        {},
    ],
)
def test_a_job_copied_is_the_job_replace_makes(changes: dict[str, object]) -> None:
    job = _job()
    copied, replaced = evolve(job, **changes), dataclasses.replace(job, **changes)
    assert copied == replaced and hash(copied) == hash(replaced)
    assert copied is not job and job == _job()  # the original is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        copied.name = "other"  # type: ignore[misc]


def test_an_unknown_field_is_refused_as_replace_refuses_it() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        dataclasses.replace(_job(), nmae="x")
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        evolve(_job(), nmae="x")


@dataclass(frozen=True)
class _Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@dataclass(frozen=True)
class _Derived:
    value: int
    double: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "double", self.value * 2)


@dataclass(frozen=True)
class _Counted:
    value: int
    seen: int = field(init=False, default=7)


@dataclass(frozen=True)
class _Scaled:
    value: int
    factor: InitVar[int] = 1


@dataclass(frozen=True, slots=True)
class _Slotted:
    value: int
    other: str = ""


def test_classes_whose_init_does_more_than_store_get_what_replace_gives() -> None:
    # __post_init__ still checks and derives; a field out of __init__ is set afresh.
    with pytest.raises(ValueError, match="negative"):
        evolve(_Checked(1), value=-1)
    assert evolve(_Derived(2), value=5).double == 10
    counted = _Counted(1)
    object.__setattr__(counted, "seen", 99)
    assert evolve(counted, value=2) == dataclasses.replace(counted, value=2)
    assert evolve(counted, value=2).seen == 7
    for changes in ({"value": 2}, {"value": 2, "factor": 3}):
        assert evolve(_Scaled(1), **changes) == dataclasses.replace(_Scaled(1), **changes)
    assert evolve(_Slotted(1, "a"), other="b") == _Slotted(1, "b")
