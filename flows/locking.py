"""File locks between kg processes on one machine: one server start per data dir, and one
unit of work at a time per embedded graph."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.errors import ConfigError


@contextmanager
def start_lock(directory: Path, data_dir: Path, error: type[ConfigError]) -> Iterator[None]:
    """Hold an exclusive lock on `directory`/.start.lock (creating the directory) for the
    block. A directory that cannot be created or written raises `error`, in one line
    naming the data dir."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = open(directory / ".start.lock", "a")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise error(f"data dir {data_dir}: cannot create or write ({exc.strerror})") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file at `path` (created if missing) for the block."""
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
