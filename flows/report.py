"""`kg ingest --json`: the run summary as one JSON object (schema/ingest-summary.schema.json).

Counts, the ids written, the rejections with their reasons, per-stage seconds, the store,
the versions of what extracted the facts, and the graph's counts after the run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flows.model import RunSummary
from flows.ontology import load_ontology
from flows.settings import Settings

FORMAT = "kg-ingest-summary/1"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def versions(settings: Settings) -> dict[str, str | None]:
    """What produced the facts: the spaCy model, the shipped recognizer and relation
    model (as their cards name them), and the relation patterns."""
    card = _read(settings.models_dir / "relations" / "card.json")
    recognizer = (
        _read(settings.models_dir / "ner" / "VERSION")
        if settings.entity_recognizer == "fine-tuned"
        else "base"
    )
    return {
        "spacy_model": settings.spacy_model,
        "recognizer": recognizer,
        "relation_model": json.loads(card).get("version") if card else None,
        "patterns": load_ontology(settings.schema_dir).patterns_version,
    }


def summary_json(
    summary: RunSummary, settings: Settings, graph: dict[str, Any], pruned: bool
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "articles": {
            "new": len(summary.new),
            "changed": len(summary.changed),
            "unchanged": len(summary.unchanged),
            "rejected": len(summary.rejected),
            "removed": len(summary.removed) if pruned else None,
        },
        "new": sorted(summary.new),
        "changed": sorted(summary.changed),
        "removed": sorted(summary.removed),
        "rejections": [{"item": r.item, "reason": r.reason} for r in summary.rejected],
        "tokens": summary.tokens,
        "seconds": summary.seconds,
        "store": "neo4j" if settings.uses_neo4j else "embedded",
        "versions": versions(settings),
        "graph": graph,
    }


def summary_markdown(summary: RunSummary, settings: Settings, pruned: bool) -> str:
    """The run summary for the Prefect UI (an artifact of the flow run): the counts as a
    table, then the whole summary as `kg ingest --json` prints it, without graph counts."""
    data = summary_json(summary, settings, graph={}, pruned=pruned)
    rows = [f"| {kind} | {n if n is not None else '-'} |" for kind, n in data["articles"].items()]
    seconds = ", ".join(f"{stage} {s}" for stage, s in data["seconds"].items())
    return "\n".join(
        ["| articles | count |", "|---|---|", *rows, "", f"Seconds: {seconds}.", "",
         "```json", json.dumps(data, indent=2), "```"]
    )  # fmt: skip
