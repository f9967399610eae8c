from jobgen.deploy.deploy_ids import switch_id
from jobgen.deploy.listing import Listing, RemoteItem
from jobgen.render.marker import Marker, format_marker


def _alias(full_name: str, deploy: str) -> RemoteItem:
    marker = Marker("repo", full_name, full_name.rpartition("/")[2], "a")
    line = f"[jobgen-alias] target={full_name}-v2 previous={full_name}-v1 deploy={deploy}"
    description = f"{format_marker(marker)}\n{line}"
    return RemoteItem(full_name, False, marker, description, None, False, False)


def _listing(*items: RemoteItem) -> Listing:
    return Listing({i.full_name: i for i in items})


def test_a_resumed_deploy_of_the_same_set_keeps_the_first_attempts_id():
    first = "20260101T000000.000000Z-aaaaaaaaaaaa"
    listing = _listing(_alias("a/x", "20251231T000000.000000Z-bbbbbbbbbbbb"), _alias("a/y", first))
    assert switch_id(listing, "repo", "aaaaaaaaaaaa") == first


def test_another_set_or_an_older_id_starts_a_new_one():
    older = "20251231T000000.000000Z-aaaaaaaaaaaa"
    listing = _listing(_alias("a/x", older), _alias("a/y", "20260101T000000.000000Z-cccc"))
    new = switch_id(listing, "repo", "aaaaaaaaaaaa")
    assert new not in (older,) and new.endswith("-aaaaaaaaaaaa")
    assert new > "20260101T000000.000000Z-cccc"  # sorts after every earlier id
