import pytest

from jobgen.compiler import compile_tree
from jobgen.deploy.client import MasterError
from jobgen.deploy.deployer import deploy
from jobgen.deploy.rollback import rollback
from jobgen.master import EmbeddedMaster, Record
from jobgen.render.aliases import alias_state
from jobgen.render.plugins import MINIMUM
from tests.masters import TOKEN, USER, client_for, python_jenkins
from tests.repos import commit_all

OWNER = "somesite-jobs"  # `owner:` in the example jobgen.yaml


def _targets(master, artifacts):  # type: ignore[no-untyped-def]
    server = python_jenkins(master)
    return {
        a.full_name: alias_state(server.get_job_info(a.full_name)["description"]).target
        for a in artifacts.aliases
    }


def _touch_everything(components):  # type: ignore[no-untyped-def]
    for path in components.glob("*.yaml"):
        path.write_text(path.read_text() + "# touched\n")
    commit_all(components.parent, "every component touched: every alias gets a new version")
    result = compile_tree(components)
    assert result.artifacts is not None
    return result.artifacts


def test_rollback_after_an_interrupted_and_resumed_deploy_restores_one_consistent_set(
    tmp_path, components, artifacts
):
    switched = []

    def interrupt_after_three_switches(record: Record) -> None:
        # Aliases are switched last, one after another: after the third, the master refuses
        # everything, as a deploy killed (or a master gone) in the middle of the switch.
        if record.method == "POST" and record.path.endswith("/config.xml"):
            switched.append(record.path)
            if len(switched) == 3:
                running.faults(rate=1.0, statuses=(403,))

    home = tmp_path / "home"
    with EmbeddedMaster.start(home, USER, TOKEN, on_request=interrupt_after_three_switches) as m:
        running = m
        m.set_plugins({name: f"{version}.1" for name, version in MINIMUM.items()})
        deploy(artifacts, client_for(m), OWNER)
        first = _targets(m, artifacts)
        second = _touch_everything(components)
        # Every stable job moves but the watchers, which start a stable job, not a version.
        moving = [a for a in second.aliases if a.target != first[a.full_name]]
        assert {a.full_name for a in second.aliases} - {a.full_name for a in moving} == {
            a.full_name for a in second.aliases if a.full_name.endswith("-watch")
        }
        with pytest.raises(MasterError):
            deploy(second, client_for(m), OWNER)
        m.faults(rate=0.0)
        assert sum(t != first[n] for n, t in _targets(m, second).items()) == 3
        resumed = deploy(second, client_for(m), OWNER)
        assert len(resumed.aliases) == len(moving) - 3
        assert _targets(m, second) == {a.full_name: a.target for a in second.aliases}
        moved = rollback(second, client_for(m), OWNER)
        assert len(moved) == len(moving)
        assert _targets(m, second) == first  # every alias as after the last completed deploy


def test_a_new_deploy_after_a_completed_one_starts_its_own_id(master, components, artifacts):
    deploy(artifacts, client_for(master), OWNER)
    first = _targets(master, artifacts)
    path = components / "model-processing.yaml"
    path.write_text(path.read_text() + "# touched\n")
    commit_all(components.parent, "model-processing touched")
    second = compile_tree(components).artifacts
    deploy(second, client_for(master), OWNER)
    moved = rollback(second, client_for(master), OWNER)
    assert [m.alias for m in moved] == ["model-processing/process_model"]
    assert _targets(master, second) == first


def test_rollback_never_reconfigures_a_copy_of_an_alias(master, components, artifacts):
    deploy(artifacts, client_for(master), OWNER)
    path = components / "model-processing.yaml"
    path.write_text(path.read_text() + "# touched\n")
    commit_all(components.parent, "model-processing touched")
    second = compile_tree(components).artifacts
    deploy(second, client_for(master), OWNER)
    server = python_jenkins(master)
    # createItem?mode=copy: the copy carries the alias line of the newest deploy too.
    server.copy_job("model-processing/process_model", "model-processing/process_model_copy")
    copied = server.get_job_config("model-processing/process_model_copy")
    moved = rollback(second, client_for(master), OWNER)
    assert [m.alias for m in moved] == ["model-processing/process_model"]
    assert server.get_job_config("model-processing/process_model_copy") == copied
