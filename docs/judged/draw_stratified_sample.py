"""How the 2026-12-02 calibration sample was drawn: where on BBC news should the relation
model's decision threshold be?

The shipped models are copied to a temporary directory with every relation threshold set
to 0.05, so the trained extractor keeps all it scores; 300 random BBC articles go through
the product's transform; then 40 statements of the trained extractor are drawn from each
confidence band (0.3-0.5, 0.5-0.65, 0.65-0.8, 0.8-0.9, 0.9 and up), shuffled, and judged
blind to confidence by ../shared/eval/judging-statements.md.

    .venv/bin/python docs/judged/draw_stratified_sample.py OUT.jsonl
"""

import gzip
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

from flows.settings import REPO_ROOT

BBC = REPO_ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"
BANDS = {"A": (0.3, 0.5), "B": (0.5, 0.65), "C": (0.65, 0.8), "D": (0.8, 0.9), "E": (0.9, 1.01)}
PER_BAND = 40

models = Path(tempfile.mkdtemp()) / "models"
shutil.copytree(REPO_ROOT / "models", models)
model_file = models / "relations" / "model.json.gz"
with gzip.open(model_file, "rt", encoding="utf-8") as raw:
    model = json.load(raw)
model["threshold"] = 0.05
model["thresholds"] = {label: 0.05 for label in model["thresholds"]}
with gzip.open(model_file, "wt", encoding="utf-8") as out:
    json.dump(model, out)
os.environ["KG_MODELS_DIR"] = str(models)

from flows.pool import ExtractConfig, batched, extract_chunk, worker_stages  # noqa: E402
from flows.read import clean, make_article  # noqa: E402
from flows.settings import load_settings  # noqa: E402

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
            if s.extractor != "trained":
                continue
            rows.append({
                "article": graph.article.id,
                "subject": names[s.subject].name, "subject_type": names[s.subject].type,
                "predicate": s.predicate,
                "object": names[s.object].name, "object_type": names[s.object].type,
                "role": s.role, "extractor": s.extractor, "confidence": s.confidence,
                "sentence": s.sentence,
            })  # fmt: skip
rng = random.Random(2026)
sample = []
for band, (low, high) in BANDS.items():
    pool = [r for r in rows if low <= r["confidence"] < high]
    sample += [{**r, "band": band, "band_size": len(pool)} for r in rng.sample(pool, PER_BAND)]
rng.shuffle(sample)
with Path(sys.argv[1]).open("w", encoding="utf-8") as out:
    for i, row in enumerate(sample, 1):
        out.write(json.dumps({"n": i, **row}) + "\n")
shutil.rmtree(models.parent)
