"""JENKINS_HOME-like state on disk, mirrored in memory: loaded once at start, written atomically.

Layout: `jobs/<name>/config.xml`, folders nest as `jobs/<f>/jobs/<child>/`, builds under
`jobs/<name>/builds/<n>/` (build.json, log, archive/), `nextBuildNumber` beside config.xml.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

from jobgen.master.configxml import FOLDER, ConfigInfo, parse_config
from jobgen.master.model import Build, Item

_ROOT_INFO = ConfigInfo(FOLDER, "", False, None, ())


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` so a reader or a crash sees the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    """Every item of the master; mutations hold `lock` and bump `generation`."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.lock = threading.RLock()
        self.generation = 0
        self.root = Item("", "", home, b"", _ROOT_INFO)
        home.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self._trash(), ignore_errors=True)  # what a crash left half deleted
        self._load_children(self.root)

    def find(self, names: list[str]) -> Item | None:
        """The item at a path of names, looked up case-insensitively as Jenkins does."""
        item: Item | None = self.root
        for name in names:
            if item is None or not item.is_folder:
                return None
            item = item.children.get(name.lower())
        return item

    def create(self, parent: Item, name: str, config: bytes, info: ConfigInfo) -> Item:
        """Write a new item's config.xml and add it under `parent`."""
        with self.lock:
            full = f"{parent.full_name}/{name}" if parent.full_name else name
            item = Item(name, full, parent.path / "jobs" / name, config, info)
            atomic_write(item.path / "config.xml", config)
            parent.children[name.lower()] = item
            self.generation += 1
            return item

    def reconfigure(self, item: Item, config: bytes, info: ConfigInfo) -> None:
        """Replace an item's config.xml."""
        with self.lock:
            atomic_write(item.path / "config.xml", config)
            item.config, item.info = config, info
            self.generation += 1

    def delete(self, parent: Item, item: Item) -> None:
        """Remove an item (a folder with everything in it) from memory and disk."""
        with self.lock:
            parent.children.pop(item.name.lower(), None)
            # Moved out of every `jobs/` folder first, so a crash never leaves a half-deleted
            # item that loads again, and no item name (`.x` included) is mistaken for one.
            doomed = Path(tempfile.mkdtemp(dir=self._trash())) / "item"
            os.replace(item.path, doomed)
            shutil.rmtree(doomed, ignore_errors=True)
            self.generation += 1

    def rename(self, parent: Item, item: Item, new_name: str) -> Item:
        """Move an item to a new name in the same folder, builds included."""
        with self.lock:
            parent.children.pop(item.name.lower(), None)
            new_path = item.path.with_name(new_name)
            os.replace(item.path, new_path)
            self.generation += 1
        # Reload so every nested full name and path follows the new name.
        moved = self._load_item(parent, new_name)
        with self.lock:
            parent.children[new_name.lower()] = moved
        return moved

    def save_build(self, item: Item, build: Build) -> None:
        """Persist a build record and the job's next build number (not for a deleted job)."""
        with self.lock:
            if not (item.path / "config.xml").is_file():
                return  # deleted while it ran: writing would leave a stray builds folder
            folder = item.path / "builds" / str(build.number)
            atomic_write(folder / "build.json", json.dumps(asdict(build)).encode())
            atomic_write(item.path / "nextBuildNumber", f"{item.next_build}\n".encode())
            self.generation += 1

    def delete_build(self, item: Item, number: int) -> None:
        """Forget a build, its log and its artifacts."""
        with self.lock:
            item.builds.pop(number, None)
            shutil.rmtree(item.path / "builds" / str(number), ignore_errors=True)
            self.generation += 1

    def delete_artifacts(self, item: Item, build: Build) -> None:
        """Forget a build's archived files, keeping the build."""
        with self.lock:
            shutil.rmtree(item.path / "builds" / str(build.number) / "archive", ignore_errors=True)
            build.artifacts = ()
            self.save_build(item, build)

    def archive(self, item: Item, build: Build, relative: str, data: bytes) -> None:
        """Store an artifact of a build under its archive folder."""
        atomic_write(self.artifact_path(item, build.number, relative), data)

    def artifact_path(self, item: Item, number: int, relative: str) -> Path:
        """Where an archived artifact lives on disk."""
        return item.path / "builds" / str(number) / "archive" / relative

    def _trash(self) -> Path:
        trash = self.home / "deleted-items"
        trash.mkdir(exist_ok=True)
        return trash

    def _load_children(self, parent: Item) -> None:
        jobs = parent.path / "jobs"
        if not jobs.is_dir():
            return
        for entry in sorted(jobs.iterdir()):
            if not (entry / "config.xml").is_file():  # names may start with `.`: Jenkins allows it
                continue
            item = self._load_item(parent, entry.name)
            parent.children[item.name.lower()] = item

    def _load_item(self, parent: Item, name: str) -> Item:
        path = parent.path / "jobs" / name
        config = (path / "config.xml").read_bytes()
        full = f"{parent.full_name}/{name}" if parent.full_name else name
        item = Item(name, full, path, config, parse_config(config, persist=False))
        if item.is_folder:
            self._load_children(item)
        else:
            self._load_builds(item)
        return item

    def _load_builds(self, item: Item) -> None:
        for record in (item.path / "builds").glob("*/build.json"):
            data = json.loads(record.read_text())
            data["artifacts"] = tuple(data.get("artifacts") or ())
            build = Build(**data)
            if build.result is None:  # the master stopped while it ran, as Jenkins marks it
                build.result = "ABORTED"
            item.builds[build.number] = build
        counter = item.path / "nextBuildNumber"
        stored = int(counter.read_text()) if counter.is_file() else 1
        item.next_build = max([stored, *(n + 1 for n in item.builds)])
