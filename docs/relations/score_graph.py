"""Precision and recall of a BBC graph on sentences whose every relation readers wrote down.

The sentences of `unlearned/bbc-relations.jsonl` come from the quarter of the BBC articles
no model learns from (`held_out` in `flows/training/judged.py`). Every statement the
graph holds in one of them is right when the readers wrote its relation down: the same
predicate, and subject and object each a form the article uses for that node (MENTIONED_IN
`forms`), in its direction or either way for a symmetric type. The readers wrote down what
a judge by ../shared/eval/judging-statements.md would call right, so the share right is
the sample of record's measure on about 500 statements at once, and the same
sentences score every model: a change is measured on what it adds as well as on what it
keeps, which the held share (docs/judged/held_precision.py) cannot see.

    .venv/bin/kg ingest ../shared/data/bbc/articles.jsonl --data-dir D
    .venv/bin/python docs/relations/score_graph.py D [D2 ...]
"""

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from flows.ontology import load_ontology
from flows.settings import REPO_ROOT

TEST_FILE = Path(__file__).parent / "unlearned" / "bbc-relations.jsonl"
ARTICLES = 2225
TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady"}
STATEMENTS = (
    "MATCH (s:Statement)-[:SUBJECT]->(a:Entity), (s)-[:OBJECT]->(b:Entity) "
    "RETURN s.article AS article, s.sentence AS sentence, s.predicate AS predicate, "
    "s.confidence AS confidence, a.key AS subject, b.key AS object"
)
FORMS = (
    "MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article) "
    "RETURN e.key AS key, a.id AS article, m.forms AS forms"
)
# The types the readers annotated: those the relation model learns. A rule's type
# (SPOKE_TO, MEETS, VISITS, ADVISES) is counted apart, unscored.
ANNOTATED = frozenset({
    "WORKS_FOR", "HOLDS_POSITION", "LIVES_IN", "BASED_IN", "LOCATED_IN", "PART_OF",
    "AFFILIATED_WITH", "OPPOSES", "DEFEATED", "SOCIAL_TIE", "ORIGINATES_FROM", "NAMED",
    "KILLED",
})  # fmt: skip
FLOORS = (0.0, 0.3, 0.5, 0.8)


def words(text: str) -> tuple[str, ...]:
    found = re.findall(r"\w+", text.lower())
    if found and found[-1] == "s" and "'" in text:
        found = found[:-1]
    while found and (found[0] == "the" or found[0] in TITLES):
        found = found[1:]
    return tuple(found)


def query(data_dir: str, cypher: str) -> list[dict]:
    kg = str(REPO_ROOT / ".venv" / "bin" / "kg")
    out = subprocess.run([kg, "query", cypher, "--json", "--data-dir", data_dir],
                         capture_output=True, check=True)  # fmt: skip
    return json.loads(out.stdout)


def main(args: list[str]) -> None:
    symmetric = {n for n, r in load_ontology(REPO_ROOT / "schema").relation_types.items()
                 if r.symmetric}  # fmt: skip
    test = [json.loads(line) for line in TEST_FILE.read_text(encoding="utf-8").splitlines()]
    gold = {(t["article"], t["sentence"].strip()): t["relations"] for t in test}
    total_gold = sum(len(r) for r in gold.values())
    print(f"{len(gold)} sentences, {total_gold} relations written down")
    for data_dir in args:
        statements = query(data_dir, STATEMENTS)
        forms: dict[tuple[str, str], set] = {}
        for row in query(data_dir, FORMS):
            forms[(row["key"], row["article"])] = {words(f) for f in row["forms"] or []}
        print(f"{data_dir}: {len(statements) / ARTICLES:.2f} statements per article")
        for floor in FLOORS:
            right, wrong, unscored, found = Counter(), Counter(), Counter(), set()
            for s in statements:
                key = (s["article"], s["sentence"].strip())
                if key not in gold or (s["confidence"] or 1.0) < floor:
                    continue
                if s["predicate"] not in ANNOTATED:
                    unscored[s["predicate"]] += 1
                    continue
                a = forms.get((s["subject"], s["article"]), set())
                b = forms.get((s["object"], s["article"]), set())
                hit = None
                for k, r in enumerate(gold[key]):
                    if r["predicate"] != s["predicate"]:
                        continue
                    sub, obj = words(r["subject"]), words(r["object"])
                    if (sub in a and obj in b) or (
                        r["predicate"] in symmetric and sub in b and obj in a
                    ):
                        hit = (key, k)
                        break
                (right if hit else wrong)[s["predicate"]] += 1
                if hit:
                    found.add(hit)
            made = sum(right.values()) + sum(wrong.values())
            kept = sum(1 for s in statements if (s["confidence"] or 1.0) >= floor)
            p = sum(right.values()) / made if made else 0.0
            r = len(found) / total_gold if total_gold else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"  confidence >= {floor}: {kept / ARTICLES:.2f} per article; "
                  f"{made} statements in the sentences, {sum(right.values())} right, "
                  f"precision {p:.1%}, recall {r:.1%}, F1 {f1:.3f}")  # fmt: skip
            if floor == 0.0:
                for predicate in sorted(
                    set(right) | set(wrong), key=lambda x: -right[x] - wrong[x]
                ):
                    n = right[predicate] + wrong[predicate]
                    print(
                        f"    {predicate:16} {right[predicate]:4}/{n:<4} {right[predicate] / n:.0%}"
                    )


if __name__ == "__main__":
    main(sys.argv[1:])
