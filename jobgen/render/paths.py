"""How one job names another in a build step: relative to its own folder, as Jenkins reads it."""

from __future__ import annotations


def relative_name(folder: str, full_name: str) -> str:
    """`full_name` seen from `folder`: plain in the same folder, `../folder/name` elsewhere."""
    parent, _, name = full_name.rpartition("/")
    if parent == folder:
        return name
    depth = folder.count("/") + 1 if folder else 0
    return "../" * depth + full_name
