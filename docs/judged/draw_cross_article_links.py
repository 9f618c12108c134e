"""How the cross-article links sample was drawn (2026-12-05): every lone surname or acronym
that the link rule of flows/across_articles.py joined to a full name (at 7622c83, before
the shared-name guard), in the graph of all 2,225 BBC articles, with up to three passages
of its article round the word, shuffled with a fixed seed.

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir /tmp/kg-bbc
    .venv/bin/python docs/judged/draw_cross_article_links.py --data-dir /tmp/kg-bbc \\
        --out docs/judged/cross-article-links-sample.jsonl

(The judged file was drawn the same way from each article's own reading, `Article.extracted`,
before the node's name was its full name: so `joined_to` is the full name's most used form.)
Judged by two helper readers (half each, the articles at hand) as "same" (the word names
the full name's entity here), "different" (another entity of that kind) or "neither"
(not a person or organization here: a TV show, a technology).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from flows.settings import REPO_ROOT, load_settings
from flows.store import open_store

JOINED = """\
MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article)
WHERE m.lone AND e.short IS NOT NULL
RETURN a.id AS article, m.name AS word, e.name AS joined_to, e.key AS key
ORDER BY article, word"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument(
        "--bbc", type=Path, default=REPO_ROOT.parent / "shared/data/bbc/articles.jsonl"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    store = open_store(load_settings(data_dir=args.data_dir))
    rows = store.read(JOINED)
    store.close()
    texts = {}
    for line in args.bbc.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = (record["title"], record["text"])
    out = []
    for row in rows:
        title, text = texts[row["article"]]
        found = re.finditer(r"\b" + re.escape(row["word"]) + r"\b", text)
        passages = [text[max(0, m.start() - 200) : m.end() + 200] for m in found][:3]
        out.append({**row, "title": title, "snippets": [p.replace("\n", " ") for p in passages]})
    random.Random(5).shuffle(out)
    args.out.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out))


if __name__ == "__main__":
    main()
