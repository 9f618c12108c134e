"""Peak memory of a process tree (`kg ingest` and its workers) and of the embedded
store, sampled from /proc while it runs."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

# Sampling reads /proc, and PSS (smaps_rollup walks page tables) costs most, so it is
# taken on every fourth sample only: a 2-process ingest leaves no core idle for the
# sampler, and what it takes is taken from the run it measures.
SAMPLE_INTERVAL_S = 0.5
PSS_EVERY = 4
MB = 1024 * 1024


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone since the scan
        # The command name may hold spaces and parentheses: fields start after the last ")".
        ppid = int(stat.rpartition(")")[2].split()[1])
        children[ppid].append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    children = _children_map()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def _kib_field(path: str, name: str) -> int:
    """A "Name:  123 kB" field of a /proc file, in bytes; 0 if the process is gone."""
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def rss(pid: int) -> int:
    return _kib_field(f"/proc/{pid}/status", "VmRSS:")


def pss(pid: int) -> int:
    """Proportional set size: shared pages split between their sharers, so forked workers
    sharing the model are not counted twice as they are in summed RSS."""
    return _kib_field(f"/proc/{pid}/smaps_rollup", "Pss:")


@dataclass
class MemoryPeaks:
    tree_rss: int = 0  # kg ingest and its descendants (spaCy workers, Prefect's server)
    tree_pss: int = 0
    store_rss: int = 0  # the embedded FalkorDB server: daemonized, so outside the tree
    total_rss: int = 0  # tree + store at one instant
    max_process_rss: int = 0  # the largest single process, exact (from wait4)
    samples: int = 0

    def as_mb(self) -> dict[str, float | int]:
        values = {k: round(v / MB, 1) for k, v in asdict(self).items() if k != "samples"}
        return {**{f"{k}_mb": v for k, v in values.items()}, "samples": self.samples}


class TreeSampler(threading.Thread):
    """Samples the RSS of a process tree, and of the store server, every 0.5 s."""

    def __init__(self, root: int, data_dir: Path) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.pidfile = data_dir / "falkordb.pid"
        self.peaks = MemoryPeaks()
        self._done = threading.Event()

    def _store_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None  # not started yet

    def sample(self) -> None:
        tree = process_tree(self.root)
        tree_rss = sum(rss(pid) for pid in tree)
        store_pid = self._store_pid()
        store_rss = rss(store_pid) if store_pid else 0
        peaks = self.peaks
        peaks.tree_rss = max(peaks.tree_rss, tree_rss)
        if peaks.samples % PSS_EVERY == 0:
            peaks.tree_pss = max(peaks.tree_pss, sum(pss(pid) for pid in tree))
        peaks.store_rss = max(peaks.store_rss, store_rss)
        peaks.total_rss = max(peaks.total_rss, tree_rss + store_rss)
        peaks.samples += 1

    def run(self) -> None:
        while not self._done.wait(SAMPLE_INTERVAL_S):
            self.sample()

    def stop(self) -> MemoryPeaks:
        self._done.set()
        self.join()
        return self.peaks
