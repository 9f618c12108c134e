"""Estimate a cross-article typing rule on CrossRE news dev, before building it
(docs/design/cross-article-types.md, "Measured: which rule"):

    .venv/bin/python tools/cross_article_estimate.py none|decided|majority|person

Takes the graphs `kg eval entities` scores (each dev article read by its fold recognizer),
retypes each article's entities by the rule, from the readings of every article of the
same fold, and scores them again. Relations are not re-extracted: this is the rule's
effect on the entity lines only.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from flows.entity_evaluation import score_entities
from flows.evaluation import held_out_folds, held_out_graphs, read_gold
from flows.model import Entity
from flows.pool import ExtractConfig, worker_stages
from flows.settings import REPO_ROOT, load_settings

# type -> the articles that read a name as that type
Counts = dict[str, set[str]]
# (fold, match form) -> its counts
Readings = dict[tuple[int | None, str], Counts]
Rule = Callable[[Entity, Counts, Counts], str | None]


def form_of(entity: Entity) -> str:
    return entity.key.split(":", 1)[1]


def is_full_name(entity: Entity) -> bool:
    return len(entity.name.split()) >= 2


def decided(entity: Entity, readings: Counts, full: Counts) -> str | None:
    """A lone word takes the one type that two or more full-name articles agree on."""
    if is_full_name(entity) or len(full) != 1:
        return None
    ((etype, articles),) = full.items()
    return etype if len(articles) >= 2 and etype != entity.type else None


def majority(entity: Entity, readings: Counts, full: Counts) -> str | None:
    """A lone word takes the type most articles give the name, if one type leads."""
    if is_full_name(entity) or len(readings) < 2:
        return None
    first, second = sorted(readings.items(), key=lambda kv: -len(kv[1]))[:2]
    return first[0] if len(first[1]) > len(second[1]) and first[0] != entity.type else None


def person(entity: Entity, readings: Counts, full: Counts) -> str | None:
    """A lone word read as a person takes the non-person type most articles give the
    name, when more articles give it than give Person."""
    if entity.type != "Person" or is_full_name(entity):
        return None
    others = {t: len(a) for t, a in readings.items() if t != "Person"}
    if not others:
        return None
    best = max(others, key=lambda t: others[t])
    ties = list(others.values()).count(others[best])
    return best if ties == 1 and others[best] > len(readings.get("Person", ())) else None


RULES: dict[str, Rule | None] = {
    "none": None,
    "decided": decided,
    "majority": majority,
    "person": person,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rule", choices=sorted(RULES))
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    data = args.data / "crossre-news"
    config = ExtractConfig.of(load_settings())
    gold = read_gold("crossre", data, "dev")
    _, ontology = worker_stages(config)
    folds = held_out_folds("crossre", data, "dev", config)
    graphs = held_out_graphs(gold, config, folds)

    readings: Readings = defaultdict(lambda: defaultdict(set))
    full: Readings = defaultdict(lambda: defaultdict(set))
    for graph in graphs:
        fold = folds.get(graph.article.id) if folds else None
        for entity in graph.entities:
            readings[(fold, form_of(entity))][entity.type].add(graph.article.id)
            if is_full_name(entity):
                full[(fold, form_of(entity))][entity.type].add(graph.article.id)

    rule = RULES[args.rule]
    retyped, out = [], []
    for graph in graphs:
        fold = folds.get(graph.article.id) if folds else None
        entities = []
        for entity in graph.entities:
            key = (fold, form_of(entity))
            new = rule(entity, readings[key], full[key]) if rule else None
            if new:
                retyped.append(f"{graph.article.id}: {entity.name} {entity.type} -> {new}")
                entity = replace(entity, type=new, key=f"{new.lower()}:{form_of(entity)}")
            entities.append(entity)
        out.append(replace(graph, entities=tuple(entities)))
    scores = score_entities(gold, out, ontology, "crossre", folds)["entities"]
    scores.pop("examples")
    print(json.dumps({"rule": args.rule, "retyped": retyped, **scores}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
