"""A build folder's listing made from the files written, as the compile record hashes it."""

from __future__ import annotations

from jobgen.output.listing import (
    file_entry,
    folder_digests,
    folder_entry,
    listed_lines,
    listing_digest,
    take_whole,
    whole_counts,
    with_folders,
)


def test_every_folder_is_listed_in_the_folder_that_holds_it():
    signatures = {"jobs/a/x.xml": (3, 10), "jobs/a/b/y.xml": (4, 20), "jobs/c/d/z.xml": (5, 30)}
    files = [(path, f"sha of {path}") for path in signatures]
    listed, recent = listed_lines(files, signatures, since=20)
    assert listed is not None and recent == [
        (20, "jobs/a/b/y.xml", "sha of jobs/a/b/y.xml"),
        (30, "jobs/c/d/z.xml", "sha of jobs/c/d/z.xml"),
    ]
    half = {folder: lines for folder, lines in listed.items() if folder != "jobs/a"}
    other = {"jobs/a": listed["jobs/a"]}
    merged = with_folders([half, other], "jobs")  # as two processes' shares
    assert {folder: sorted(lines) for folder, lines in merged.items()} == {
        "jobs": sorted([folder_entry("a"), folder_entry("c")]),
        "jobs/a": sorted([file_entry("x.xml", 3, 10), folder_entry("b")]),
        "jobs/a/b": [file_entry("y.xml", 4, 20)],
        "jobs/c": [folder_entry("d")],
        "jobs/c/d": [file_entry("z.xml", 5, 30)],
    }


def test_a_file_of_unknown_size_and_mtime_leaves_no_listing():
    assert listed_lines([("jobs/a/x.xml", "sha")], {}, since=0) == (None, [])


def test_a_folder_whole_in_one_share_is_hashed_there_as_the_parent_hashes_the_others():
    signatures = {
        "jobs/x.xml": (1, 5),
        "jobs/a/x.xml": (3, 10),
        "jobs/a/b/y.xml": (4, 20),
        "jobs/a/b/z.xml": (6, 40),
        "jobs/c/d/z.xml": (5, 30),
    }
    counts = whole_counts(signatures)
    assert counts == {"jobs/a/b": 2, "jobs/c/d": 1}  # jobs/ and jobs/a hold folders
    files = [(path, "sha") for path in signatures]
    one, _ = listed_lines(files[:3], signatures, since=0)  # jobs/a/b: one file in each share
    two, _ = listed_lines(files[3:], signatures, since=0)
    assert one is not None and two is not None
    whole_one, whole_two = take_whole(one, counts), take_whole(two, counts)
    assert (whole_one, list(whole_two)) == ({}, ["jobs/c/d"]) and "jobs/c/d" not in two
    alone, _ = listed_lines(files, signatures, since=0)  # one process: every line at hand
    assert alone is not None
    expected = {
        folder: listing_digest(lines) for folder, lines in with_folders([alone], "jobs").items()
    }
    assert folder_digests([(one, whole_one), (two, whole_two)], "jobs") == expected
