"""Statement yield on an ingested graph, and a random sample of statements to judge.

Reads the graph `kg ingest` built (the embedded store in --data-dir, or Neo4j when
NEO4J_URI is set), lists every Statement with both entities, their types, the role and
the evidence sentence, and draws `--n` of them with a fixed seed, as
../shared/eval/judging-statements.md asks. Writes the sample as JSON Lines and prints the
yield per article, by predicate.

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir /tmp/kg-bbc
    .venv/bin/python bench/statement_sample.py --data-dir /tmp/kg-bbc \\
        --out docs/judged/bbc-sample.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from flows.settings import load_settings
from flows.store import open_store

STATEMENTS = """\
MATCH (s:Entity)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(o:Entity)
RETURN st.id AS id, st.article AS article, s.name AS subject, s.type AS subject_type,
       st.predicate AS predicate, o.name AS object, o.type AS object_type, st.role AS role,
       coalesce(st.past, false) AS past,
       st.extractor AS extractor, st.confidence AS confidence, st.sentence AS sentence
ORDER BY id"""
ARTICLES = "MATCH (a:Article) RETURN count(a) AS n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    store = open_store(load_settings(data_dir=args.data_dir))
    try:
        rows = store.read(STATEMENTS)
        articles = store.read(ARTICLES)[0]["n"]
    finally:
        store.close()
    sample = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for i, row in enumerate(sample, 1):
            out.write(json.dumps({"n": i, **row}, ensure_ascii=False) + "\n")
    by_predicate = Counter(r["predicate"] for r in rows)
    summary = {
        "articles": articles,
        "statements": len(rows),
        "per_article": round(len(rows) / max(articles, 1), 2),
        "per_article_by_predicate": {
            p: round(n / max(articles, 1), 3) for p, n in by_predicate.most_common()
        },
        "sample": str(args.out),
        "seed": args.seed,
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
