"""jobgen.yaml's owner, repository and targets: typed, positioned, checked like component files."""

import io
from pathlib import Path

from jobgen.commands.validate import run as validate
from jobgen.compiler import owner
from jobgen.load.loader import load
from jobgen.load.model import Repo
from tests.repos import PROJECT

PIN = "jobgen: 0.1.0\n"


def _load(tmp_path: Path, settings: str) -> tuple[Repo, list[str]]:
    (tmp_path / "jobgen.yaml").write_text(PIN + settings)
    (tmp_path / "a.yaml").write_text("component: a\n")
    result = load([tmp_path / "a.yaml"])
    return result.repo, [
        f"{d.pos.line}:{d.pos.col} {d.code} {d.message} | {d.hint}"
        for d in result.diagnostics
        if d.pos
    ]


def test_the_example_chain_loads_typed_with_positions() -> None:
    repo = load([PROJECT / "components"]).repo
    targets = {t.name: t for t in repo.targets}
    assert list(targets) == ["qa-qa", "qa-test", "qa-prod"]
    prod = targets["qa-prod"]
    assert prod.deployer is not None and prod.deployer.value == "qa-qa"
    assert prod.after is not None and prod.after.value == "qa-test"
    assert prod.credentials == "qa-prod-jenkins-deploy"
    assert prod.user_env == "QA_PROD_JENKINS_USER"
    assert prod.pos.path.endswith("jobgen.yaml") and prod.pos.line > 1
    assert repo.owner == "somesite-jobs"
    assert repo.repository is not None and repo.repository.branch == "main"
    assert (PROJECT / "jobgen.yaml").read_text().startswith("jobgen: ")


def test_unknown_keys_are_positioned_with_did_you_mean(tmp_path: Path) -> None:
    _, found = _load(tmp_path, "targets:\n  qa:\n    url: https://q/\n    tokn_env: T\n")
    assert found == [
        "5:5 unknown-key unknown field `tokn_env` in targets.qa | did you mean `token_env`?"
    ]


def test_wrong_types_and_names_are_positioned(tmp_path: Path) -> None:
    settings = (
        "owner: two words\ntargets:\n  QA:\n    url: https://q/\n"
        "  ok:\n    url: u\n    workers: many\n"
    )
    _, found = _load(tmp_path, settings)
    codes = [line.split(" ")[0:2] for line in found]
    assert ["2:8", "schema-pattern"] in codes
    assert ["4:3", "schema-key"] in codes
    assert ["8:14", "schema-type"] in codes


def test_a_secret_in_jobgen_yaml_is_an_error_and_never_echoed(tmp_path: Path) -> None:
    _, found = _load(tmp_path, "targets:\n  qa:\n    url: https://q/\n    token: s3cr3t-value\n")
    assert any("secret-in-file" in line for line in found)
    assert not any("s3cr3t-value" in line for line in found)


def test_unknown_deployer_and_after_are_positioned(tmp_path: Path) -> None:
    settings = (
        "repository: {url: https://g/jobs.git}\n"
        "targets:\n"
        "  qa-qa: {url: https://a/}\n"
        "  qa-test: {url: https://b/, deployer: qa-q, credentials: c, after: nope}\n"
    )
    _, found = _load(tmp_path, settings)
    assert (
        "5:40 unknown-deployer deployer: no target named `qa-q` in jobgen.yaml"
        " | did you mean `qa-qa`?" in found
    )
    assert any(line.startswith("5:69 unknown-after") for line in found)


def test_a_deployer_loop_is_printed_once(tmp_path: Path) -> None:
    settings = (
        "repository: {url: https://g/jobs.git}\n"
        "targets:\n"
        "  a: {url: https://a/, deployer: b, credentials: c}\n"
        "  b: {url: https://b/, deployer: c, credentials: c}\n"
        "  c: {url: https://c/, deployer: a, credentials: c}\n"
        "  d: {url: https://d/, deployer: d, credentials: c}\n"
    )
    _, found = _load(tmp_path, settings)
    loops = [line for line in found if "deploy-loop" in line]
    assert loops[0].startswith("4:34 deploy-loop target `a` deploys itself: a -> b -> c -> a")
    assert loops[1].startswith("7:34 deploy-loop target `d` deploys itself: d -> d")
    assert len(loops) == 2


def test_self_deploy_needs_credentials_a_repository_and_a_shared_deployer(tmp_path: Path) -> None:
    settings = (
        "targets:\n"
        "  qq: {url: https://a/}\n"
        "  other: {url: https://o/}\n"
        "  t: {url: https://b/, deployer: qq}\n"
        "  p: {url: https://c/, deployer: other, credentials: c, after: t}\n"
    )
    _, found = _load(tmp_path, settings)
    codes = sorted(line.split(" ")[1] for line in found)
    assert codes == [
        "after-other-deployer",
        "deployer-credentials",
        "deployer-repository",
        "deployer-repository",
    ]


def test_validate_prints_the_loop_with_file_line_col(tmp_path: Path) -> None:
    (tmp_path / "jobgen.yaml").write_text(
        PIN + "repository: {url: g}\ntargets:\n  a: {url: u, deployer: a, credentials: c}\n"
    )
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "a.yaml").write_text("component: a\n")
    out = io.StringIO()
    assert validate([tmp_path / "components"], stream=out) == 1
    text = out.getvalue()
    assert "jobgen.yaml:4:25: error: target `a` deploys itself: a -> a [deploy-loop]" in text
    assert "^" in text


def test_jobgen_yaml_named_as_a_file_is_read_as_settings_not_as_a_component(
    tmp_path: Path,
) -> None:
    (tmp_path / "jobgen.yaml").write_text(PIN + "targets:\n  qa:\n    urll: x\n")
    (tmp_path / "a.yaml").write_text("component: a\n")
    result = load([tmp_path / "jobgen.yaml", tmp_path / "a.yaml"])
    assert [c.name for c in result.repo.components] == ["a"]
    codes = [d.code for d in result.diagnostics]
    assert "unknown-key" in codes and "missing-component" not in " ".join(codes)
    assert not any("component" in d.message for d in result.diagnostics if d.code != "unknown-key")


def test_owner_makes_two_clones_agree_on_who_owns_the_jobs(tmp_path: Path) -> None:
    def owner_of(folder: str, settings: str) -> str:
        root = tmp_path / folder
        root.mkdir()
        (root / "jobgen.yaml").write_text(PIN + settings)
        (root / "a.yaml").write_text("component: a\n")
        return owner(load([root / "a.yaml"]).repo)

    assert owner_of("laptop-clone", "owner: somesite-jobs\n") == "somesite-jobs"
    assert owner_of("ci-checkout", "owner: somesite-jobs\n") == "somesite-jobs"
    assert owner_of("another-clone", "") == "another-clone"  # without owner: the folder's name
