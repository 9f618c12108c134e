"""A canonical, deterministic dump of the graph: a backup and diff format, and the way
tests compare one graph with another."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flows import cypher
from flows.store import GraphStore

# What differs between two runs that wrote the same facts: timestamps, and the record of
# the runs themselves.
VOLATILE = frozenset({"ingested_at", "fetched_at"})
RUN_LABEL, RUN_EDGE = "IngestRun", "INGESTED"


def _clean(properties: dict[str, Any], stable: bool) -> dict[str, Any]:
    kept = {k: v for k, v in properties.items() if not (stable and k in VOLATILE)}
    if stable and isinstance(kept.get("articles"), list):
        kept["articles"] = sorted(kept["articles"])  # order depends on ingestion order
    return dict(sorted(kept.items()))


def export_records(store: GraphStore, stable: bool = False) -> list[dict[str, Any]]:
    nodes = [
        {
            "kind": "node",
            "labels": sorted(row["labels"]),
            "properties": _clean(row["properties"], stable),
        }
        for row in store.read(cypher.EXPORT_NODES)
        if not (stable and RUN_LABEL in row["labels"])
    ]
    edges = [
        {
            "kind": "relationship",
            "type": row["type"],
            "start": row["start"],
            "end": row["end"],
            "properties": _clean(row["properties"], stable),
        }
        for row in store.read(cypher.EXPORT_RELATIONSHIPS)
        if not (stable and row["type"] == RUN_EDGE)
    ]
    records = nodes + edges
    records.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
    return records


def export_jsonl(store: GraphStore, stable: bool = False) -> Iterator[str]:
    for record in export_records(store, stable):
        yield json.dumps(record, sort_keys=True, ensure_ascii=False)
