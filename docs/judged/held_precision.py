"""How many statements of a BBC graph earlier samples judged, and the share of them right.

Every judged sample here (`*sample*.jsonl` with its `*verdicts*.jsonl`, matched by `n`;
not the cross-article samples, which judge links) gives verdicts by statement id. A
graph's statements that any of them judged are "held"; their share right compares two
models on the same judgements, where two samples of 100 differ by about five either way.
A statement judged twice keeps the later file's verdict (files sorted by name).

The relation model learns from the verdicts of three quarters of the articles
(`learned_from` in `flows/training/judged.py`), so the share that measures a model is the
held-out quarter's. The learned articles' share says what it made of its own lessons.

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir D
    .venv/bin/python docs/judged/held_precision.py [--except VERSION] D [D2 ...]

It also gives the held-out quarter's share for the statements a confidence floor keeps.

`--except VERSION` leaves out the sample of that model version: a graph's own sample of
record is no earlier judgement of it.
"""

import json
import subprocess
import sys

from flows.settings import REPO_ROOT
from flows.training.judged import held_out, judged_statements, learned_from

QUERY = (
    "MATCH (s:Statement) RETURN s.id AS id, s.article AS article, "
    "s.confidence AS confidence, s.extractor AS extractor"
)
ARTICLES = 2225  # in the BBC corpus
# Confidence floors as KG_RELATION_MIN_CONFIDENCE applies them: to the trained model's
# statements only (a pattern's confidence is a rule's prior).
BANDS = (0.5, 0.8, 0.9)


def judged(leave_out: str | None = None) -> dict[str, bool]:
    return {s.id: s.right for s in judged_statements(leave_out=leave_out) if s.id}


def main(args: list[str]) -> None:
    leave_out = None
    if args[:1] == ["--except"]:
        leave_out, args = args[1], args[2:]
    verdicts = judged(leave_out)
    print(f"statements judged in the samples: {len(verdicts)}")
    kg = str(REPO_ROOT / ".venv" / "bin" / "kg")
    for data_dir in args:
        out = subprocess.run(
            [kg, "query", QUERY, "--json", "--data-dir", data_dir],
            capture_output=True,
            check=True,
        )
        rows = json.loads(out.stdout)
        print(f"{data_dir}: {len(rows)} statements")
        for name, learned in (("all", None), ("held-out quarter", False), ("learned", True)):
            held = [
                verdicts[r["id"]]
                for r in rows
                if r["id"] in verdicts
                and (learned is None or learned_from(r["article"]) == learned)
            ]
            share = sum(held) / len(held) if held else 0.0
            print(f"  {name}: {len(held)} held, {sum(held)} right, {share:.1%}")
        for floor in BANDS:
            kept = [r for r in rows if r["extractor"] != "trained" or r["confidence"] >= floor]
            held = [verdicts[r["id"]] for r in kept
                    if r["id"] in verdicts and held_out(r["article"])]  # fmt: skip
            share = sum(held) / len(held) if held else 0.0
            print(f"  confidence >= {floor}: {len(kept) / ARTICLES:.2f} per article; held-out "
                  f"quarter {len(held)} held, {sum(held)} right, {share:.1%}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
