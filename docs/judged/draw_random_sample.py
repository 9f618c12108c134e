"""How a BBC sample of record is drawn (from 2026-12-05, stop 47; `bbc-sample-VERSION.jsonl`).

Every statement of a BBC graph built by `kg ingest`, with its subject, predicate, object,
both types, role, `past` and sentence, sorted by id; 100 drawn at random with the model
version as the seed. The judges see each one without its confidence or extractor
(../shared/eval/judging-statements.md), 50 to a reader.

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir D
    .venv/bin/python docs/judged/draw_random_sample.py D VERSION [--unlearned] \
        > docs/judged/bbc-sample-VERSION.jsonl

From model 2026-12-06 on, the relation model learns from the verdicts on half the BBC
articles, from stop 61 on three quarters (`learned_from` in `flows/training/judged.py`):
`--unlearned` draws from the held-out quarter only, whose text no model learned from, so
the sample measures the model as news it never saw would.
"""

import json
import random
import subprocess
import sys

from flows.settings import REPO_ROOT
from flows.training.judged import held_out

QUERY = (
    "MATCH (s:Statement)-[:SUBJECT]->(a:Entity), (s)-[:OBJECT]->(b:Entity) "
    "RETURN s.id AS id, s.article AS article, a.name AS subject, "
    "[l IN labels(a) WHERE l <> 'Entity'][0] AS subject_type, s.predicate AS predicate, "
    "b.name AS object, [l IN labels(b) WHERE l <> 'Entity'][0] AS object_type, "
    "s.role AS role, s.past AS past, s.extractor AS extractor, s.confidence AS confidence, "
    "s.sentence AS sentence ORDER BY id"
)

data_dir, version = sys.argv[1], sys.argv[2]
unlearned = "--unlearned" in sys.argv[3:]
kg = str(REPO_ROOT / ".venv" / "bin" / "kg")
out = subprocess.run(
    [kg, "query", QUERY, "--json", "--data-dir", data_dir], capture_output=True, check=True
)
rows = json.loads(out.stdout)
if unlearned:
    rows = [row for row in rows if held_out(row["article"])]
for n, row in enumerate(random.Random(version).sample(rows, 100), 1):
    print(json.dumps({"n": n, **row}, ensure_ascii=False))
