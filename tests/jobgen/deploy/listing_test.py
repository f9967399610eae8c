from jobgen.deploy.listing import parse_listing, tree_query
from jobgen.render.marker import Marker, format_marker

SHA = "ab" * 32
MARKER = format_marker(Marker("repo", "a/a-build-v1-abc1234", "a-build", "a", SHA))
FOLDER = format_marker(Marker("repo", "a", "a", "a"))


def test_nested_folders_flatten_to_full_names_with_markers():
    listing = parse_listing(
        {
            "jobs": [
                {
                    "_class": "com.cloudbees.hudson.plugins.folder.Folder",
                    "name": "a",
                    "description": FOLDER,
                    "jobs": [
                        {
                            "name": "a-build-v1-abc1234",
                            "description": f"{MARKER}\n\nx",
                            "color": "blue_anime",
                            "lastBuild": {"timestamp": 5, "building": True},
                        }
                    ],
                },
                {"name": "manual", "description": "made by hand", "color": "blue"},
            ]
        }
    )
    job = listing.items["a/a-build-v1-abc1234"]
    assert job.marker is not None and job.marker.sha256 == SHA
    assert job.building and job.last_build_ms == 5
    assert listing.items["a"].is_folder
    assert listing.items["manual"].marker is None
    assert [i.full_name for i in listing.owned_by("repo")] == ["a", "a/a-build-v1-abc1234"]


def test_ownership_is_read_below_the_target_root_folder():
    data = {"jobs": [{"name": "a-build-v1-abc1234", "description": MARKER.replace("a/", "")}]}
    listing = parse_listing({"jobs": [{"name": "a", "jobs": data["jobs"]}]}, "root/")
    assert listing.owned_by("repo") == []  # the marker names `a-build-v1-abc1234`, not `a/...`
    listing = parse_listing(
        {"jobs": [{"name": "a", "jobs": [{**data["jobs"][0], "description": MARKER}]}]}, "root/"
    )
    assert [i.full_name for i in listing.owned_by("repo")] == ["root/a/a-build-v1-abc1234"]


def test_tree_query_nests_the_requested_levels():
    assert tree_query(2).count("jobs[") == 2
    assert "lastBuild[number,timestamp,building]" in tree_query(1)
    assert "nextBuildNumber" in tree_query(1)  # with lastBuild.number: discarded builds
