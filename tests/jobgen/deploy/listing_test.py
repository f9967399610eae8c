from jobgen.deploy.listing import parse_listing, tree_query

MARKER = "[jobgen] owner=repo name=a-build component=a sha256=abc"


def test_nested_folders_flatten_to_full_names_with_markers():
    listing = parse_listing(
        {
            "jobs": [
                {
                    "_class": "com.cloudbees.hudson.plugins.folder.Folder",
                    "name": "a",
                    "description": "[jobgen] owner=repo name=a component=a sha256=",
                    "jobs": [
                        {
                            "name": "a-build-v1-abc1234",
                            "description": f"x\n\n{MARKER}",
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
    assert job.marker is not None and job.marker.sha256 == "abc"
    assert job.building and job.last_build_ms == 5
    assert listing.items["a"].is_folder
    assert listing.items["manual"].marker is None
    assert [i.full_name for i in listing.owned_by("repo")] == ["a", "a/a-build-v1-abc1234"]


def test_tree_query_nests_the_requested_levels():
    assert tree_query(2).count("jobs[") == 2
    assert "lastBuild[timestamp,building]" in tree_query(1)
