from jobgen.deploy.listing import Listing, RemoteItem
from jobgen.deploy.prune import DAY_MS, stale_jobs
from jobgen.render.marker import Marker, format_marker

NOW = 100 * DAY_MS


def _item(full_name, owner="repo", days_ago=None, building=False, folder=False, extra=""):
    name = full_name.rpartition("/")[2]
    marker = Marker(owner, full_name, name.split("-v")[0], "a") if owner else None
    description = format_marker(marker) if marker else ""
    return RemoteItem(
        full_name=full_name,
        is_folder=folder,
        marker=marker,
        description=description + extra,
        last_build_ms=None if days_ago is None else NOW - days_ago * DAY_MS,
        building=building,
        in_queue=False,
    )


def _listing(*items):
    return Listing({i.full_name: i for i in items})


def test_prune_keeps_latest_recent_running_and_foreign_and_deletes_old():
    listing = _listing(
        _item("a", folder=True),
        _item("a/job-v3-ccc", days_ago=30),  # latest: in the current set
        _item("a/job-v2-bbb", days_ago=2),  # ran two days ago
        _item("a/job-v1-aaa", days_ago=8),  # last run eight days ago
        _item("a/job-v0-zzz", days_ago=20, building=True),  # running now
        _item("a/other-v1-fff", owner="someone-else", days_ago=90),
        _item("a/handmade", owner=None, days_ago=90),
    )
    stale = stale_jobs(listing, ["a", "a/job-v3-ccc"], "repo", 7, NOW)
    assert [(s.full_name, s.reason) for s in stale] == [
        ("a/job-v1-aaa", "not in the current set, last run 8 days ago")
    ]


def test_what_an_alias_runs_or_ran_before_is_kept():
    alias = "\n[jobgen-alias] target=a/job-v3-ccc previous=a/job-v2-bbb deploy=1"
    listing = _listing(
        _item("a", folder=True),
        _item("a/job", days_ago=1, extra=alias),
        _item("a/job-v3-ccc", days_ago=30),
        _item("a/job-v2-bbb", days_ago=30),
        _item("a/job-v1-aaa", days_ago=30),
    )
    stale = stale_jobs(listing, ["a", "a/job"], "repo", 7, NOW)
    assert [s.full_name for s in stale] == ["a/job-v1-aaa"]


def test_a_folder_left_empty_goes_after_its_jobs():
    listing = _listing(_item("gone", folder=True), _item("gone/job-v1-aaa", days_ago=9))
    stale = stale_jobs(listing, [], "repo", 7, NOW)
    assert [(s.full_name, s.is_folder) for s in stale] == [
        ("gone/job-v1-aaa", False),
        ("gone", True),
    ]
