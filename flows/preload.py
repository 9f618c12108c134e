"""What the server extraction workers fork from imports before it forks any
(flows/backends.py): the run's transform stages, built once there, so that every worker
starts with them instead of building its own.

A config that cannot be built here is left for the workers to build: their error, raised
where the run sees it, is the one to report.
"""

from __future__ import annotations

import contextlib
import gc

from flows.pool import preloaded_config, worker_stages

_config = preloaded_config()
if _config is not None:
    with contextlib.suppress(Exception):
        worker_stages(_config)
# What is built here lives as long as the workers: out of their collector's sight, it is
# neither scanned at each collection nor copied page by page into every worker.
gc.freeze()
