"""How the calibration sample was drawn (model 2026-11-23, every statement the trained
extractor kept at thresholds CrossRE alone chose, 0.05 to 0.1): 300 random BBC articles
through the product's transform, then 150 random statements, judged blind to confidence.

    .venv/bin/python docs/judged/draw_calibration_sample.py OUT.jsonl
"""

import json
import random
import sys
from pathlib import Path

from flows.pool import ExtractConfig, batched, extract_chunk, worker_stages
from flows.read import clean, make_article
from flows.settings import REPO_ROOT, load_settings

BBC = REPO_ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"

config = ExtractConfig.of(load_settings())
_, ontology = worker_stages(config)
records = [json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines()]
records = random.Random(7).sample(records, 300)
articles = [
    clean(make_article(r["id"], r["id"], r["text"], r["title"]), ontology.drop_lines)
    for r in records
]
rows = []
for chunk in batched(articles, 32):
    for graph in extract_chunk(chunk, config):
        names = {e.key: e for e in graph.entities}
        for s in graph.statements:
            rows.append({
                "article": graph.article.id,
                "subject": names[s.subject].name, "subject_type": names[s.subject].type,
                "predicate": s.predicate,
                "object": names[s.object].name, "object_type": names[s.object].type,
                "role": s.role, "extractor": s.extractor, "confidence": s.confidence,
                "sentence": s.sentence,
            })  # fmt: skip
sample = random.Random(99).sample(rows, 150)
with Path(sys.argv[1]).open("w", encoding="utf-8") as out:
    for i, row in enumerate(sample, 1):
        out.write(json.dumps({"n": i, **row}) + "\n")
