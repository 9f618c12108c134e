"""How the cross-article statements sample was drawn (2026-12-04, night): every statement
about a name the cross-article rule retyped, as the article read it ("before", from the
article's own reading, `Article.extracted`) and as the graph holds it ("after"), shuffled
with a fixed seed so the judges could not tell which was which.

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir /tmp/kg-bbc
    .venv/bin/python docs/judged/draw_cross_article_statements.py --data-dir /tmp/kg-bbc \\
        --out docs/judged/cross-article-statements-sample.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from flows.settings import load_settings
from flows.store import open_store

RETYPED = """\
MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article) WHERE m.read_as <> e.type
RETURN a.id AS id, collect(split(e.key, ':')[1]) AS forms, a.extracted AS extracted"""

AFTER = """\
MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article) WHERE m.read_as <> e.type
WITH e, a
MATCH (st:Statement {article: a.id})-[:SUBJECT|OBJECT]->(e)
MATCH (st)-[:SUBJECT]->(sub), (st)-[:OBJECT]->(obj)
RETURN DISTINCT st.id AS id, a.id AS article, sub.name AS subject, sub.type AS subject_type,
       st.predicate AS predicate, obj.name AS object, obj.type AS object_type,
       st.sentence AS sentence"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    store = open_store(load_settings(data_dir=args.data_dir))
    items = []
    for article in store.read(RETYPED):
        own = json.loads(article["extracted"])
        entities = {e["key"]: e for e in own["entities"]}
        retyped = {f"person:{form}" for form in article["forms"]}
        for st in own["statements"]:
            if st["subject"] in retyped or st["object"] in retyped:
                sub, obj = entities[st["subject"]], entities[st["object"]]
                items.append({"version": "before", "article": article["id"],
                              "subject": sub["name"], "subject_type": sub["type"],
                              "predicate": st["predicate"], "object": obj["name"],
                              "object_type": obj["type"], "sentence": st["sentence"]})  # fmt: skip
    for row in sorted(store.read(AFTER), key=lambda r: r["id"]):
        row.pop("id")
        items.append({"version": "after", **row})
    store.close()
    random.Random(38).shuffle(items)
    with args.out.open("w", encoding="utf-8") as out:
        for n, item in enumerate(items):
            out.write(json.dumps({"n": n, **item}, ensure_ascii=False) + "\n")
    print(f"{len(items)} statements written to {args.out}")


if __name__ == "__main__":
    main()
