"""How many statements of a BBC graph earlier samples judged, and the share of them right.

Every judged sample here (`*sample*.jsonl` with its `*verdicts*.jsonl`, matched by `n`;
not the cross-article samples, which judge links) gives verdicts by statement id. A
graph's statements that any of them judged are "held"; their share right compares two
models on the same judgements, where two samples of 100 differ by about five either way.
A statement judged twice keeps the later file's verdict (files sorted by name).

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir D
    .venv/bin/python docs/judged/held_precision.py [--except VERSION] D [D2 ...]

`--except VERSION` leaves out the sample of that model version: a graph's own sample of
record is no earlier judgement of it.
"""

import json
import subprocess
import sys
from pathlib import Path

from flows.settings import REPO_ROOT

HERE = Path(__file__).parent
QUERY = "MATCH (s:Statement) RETURN s.id AS id"


def judged(leave_out: str | None = None) -> dict[str, bool]:
    verdicts: dict[str, bool] = {}
    for sample in sorted(HERE.glob("*sample*.jsonl")):
        answers = sample.with_name(sample.name.replace("sample", "verdicts"))
        if "cross-article" in sample.name or not answers.exists():
            continue
        if leave_out and sample.name == f"bbc-sample-{leave_out}.jsonl":
            continue
        right = {}
        for line in answers.read_text(encoding="utf-8").splitlines():
            verdict = json.loads(line)
            right[verdict["n"]] = verdict["right"]
        for line in sample.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "id" in row and row.get("n") in right:
                verdicts[row["id"]] = right[row["n"]]
    return verdicts


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
        ids = [row["id"] for row in json.loads(out.stdout)]
        held = [verdicts[i] for i in ids if i in verdicts]
        share = sum(held) / len(held) if held else 0.0
        print(f"{data_dir}: {len(ids)} statements, {len(held)} held, {sum(held)} right", end="")
        print(f", {share:.1%}")


if __name__ == "__main__":
    main(sys.argv[1:])
