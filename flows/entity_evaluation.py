"""Entity scores of the product's own output against gold entity annotations.

The graphs scored are the ArticleGraphs `kg ingest` writes (flows.evaluation.product_graphs):
raw text through cleaning, the recognizer and resolution. Only gold entities of a type the
ontology maps (CrossRE person, organisation, location, ...) count. The unit is a name in an
article: a gold entity is its match form there, a product entity is a node there.

- found: a gold name is among some node's names in its article, whatever the type;
- precision: a node's names include a gold name of its article (a node that is only a
  `misc` name, "Chinese", or a name the annotators did not mark, counts as wrong);
- typed: and the node's type is the gold type;
- splits: a gold name held by two nodes of one article ("Seoul" as a person and a place), or
  a gold person's last name and full name ("Greenspan", "Alan Greenspan") on two nodes;
- across articles: a gold name of one type in several articles is one node when one key
  holds it in all of them; B-cubed over (article, name) items, with the gold name as the
  gold cluster and the node key as the product's.

The annotations have no entity ids across articles, so a name stands for its entity: two
people of one name are one gold entity here, and "Kang Jun-young" and "Kang Jun young" are one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.evaluation import held_out_folds, held_out_graphs, read_gold
from flows.model import ArticleGraph
from flows.names import match_form, normalize_name
from flows.ontology import Ontology
from flows.pool import ExtractConfig, worker_stages
from flows.settings import Settings
from flows.training.data import GoldArticle


def _form(text: str) -> str:
    return match_form(normalize_name(text))


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


@dataclass
class EntityTally:
    gold: int = 0
    found: int = 0
    typed_found: int = 0
    nodes: int = 0
    right: int = 0
    typed_right: int = 0
    splits: int = 0
    # (fold, type, gold name) -> {article id: node keys holding it there}
    across: dict[tuple[int | None, str, str], dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    wrong_nodes: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        precision, recall = _ratio(self.right, self.nodes), _ratio(self.found, self.gold)
        typed_p, typed_r = _ratio(self.typed_right, self.nodes), _ratio(self.typed_found, self.gold)
        # Only the articles where it was found: a miss is not a split.
        multi = [
            held for v in self.across.values() if len(held := [k for k in v.values() if k]) > 1
        ]
        one_node = sum(1 for held in multi if set.intersection(*held))
        b3_p, b3_r = self._b_cubed()
        return {
            "found": {"recall": recall, "found": self.found, "gold": self.gold},
            "precision": {"precision": precision, "right": self.right, "nodes": self.nodes},
            "typed": {"precision": typed_p, "recall": typed_r, "f1": _f1(typed_p, typed_r)},
            "within_article_splits": self.splits,
            "multi_article": {
                "entities": len(multi),
                "one_node": one_node,
                "share": _ratio(one_node, len(multi)),
            },
            "b_cubed": {"precision": b3_p, "recall": b3_r, "f1": _f1(b3_p, b3_r)},
            "examples": {"wrong_nodes": self.wrong_nodes[:25], "missed": self.missed[:25]},
        }

    def _b_cubed(self) -> tuple[float, float]:
        """Items are (article, gold name) with a node; gold cluster = the gold name and
        type, product cluster = the node key (the first, if a split gave it two); both
        within the article's fold, if folds were given."""
        items = [
            (gold, (gold[0], sorted(keys)[0]))
            for gold, by_article in self.across.items()
            for keys in by_article.values()
            if keys
        ]
        if not items:
            return 0.0, 0.0
        by_gold: Counter[Hashable] = Counter(g for g, _ in items)
        by_key: Counter[Hashable] = Counter(k for _, k in items)
        both: Counter[Hashable] = Counter(items)
        precision = sum(both[(g, k)] / by_key[k] for g, k in items) / len(items)
        recall = sum(both[(g, k)] / by_gold[g] for g, k in items) / len(items)
        return round(precision, 4), round(recall, 4)


def evaluate_entities(benchmark: str, data: Path, split: str, settings: Settings) -> dict[str, Any]:
    """`kg eval --entities`: the product's entities on a split, from raw text. The shipped
    recognizer trained on CrossRE dev: each dev article is read by the fold recognizer
    that never saw it (flows/training/folds.py)."""
    config = ExtractConfig.of(settings)
    gold = read_gold(benchmark, data, split)
    _, ontology = worker_stages(config)
    folds = held_out_folds(benchmark, data, split, config)
    graphs = held_out_graphs(gold, config, folds)
    scores = score_entities(gold, graphs, ontology, benchmark, folds)
    return {"benchmark": benchmark, "split": split, "articles": len(gold), **scores}


def score_entities(
    gold: Sequence[GoldArticle],
    graphs: Iterable[ArticleGraph],
    ontology: Ontology,
    scheme: str,
    folds: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Scores of the graphs; with `folds`, the articles of each fold were read by a
    recognizer of their own, and names across articles are compared within a fold only:
    the product reads every article with one recognizer, and five recognizers typing one
    name five ways measures nothing it does."""
    types = ontology.scheme_types.get(scheme, {})
    by_id = {g.article.id: g for g in gold}
    tally = EntityTally()
    seen = set()
    for graph in graphs:
        article = by_id[graph.article.id]
        seen.add(graph.article.id)
        group = folds.get(graph.article.id) if folds else None
        _score_article(article, graph, types, tally, group)
    for article in gold:
        if article.article.id not in seen:  # rejected: nothing found
            tally.gold += len(_gold_names(article, types))
    return {"entities": tally.report()}


def _gold_names(article: GoldArticle, types: dict[str, str]) -> dict[str, str]:
    """Match form -> ontology type of the article's gold entities (the first type given)."""
    names: dict[str, str] = {}
    for sentence in article.sentences:
        for entity in sentence.entities:
            etype = types.get(entity.label)
            form = _form(entity.text)
            if etype is not None and form:
                names.setdefault(form, etype)
    return names


def _score_article(
    article: GoldArticle,
    graph: ArticleGraph,
    types: dict[str, str],
    tally: EntityTally,
    group: int | None = None,
) -> None:
    names = _gold_names(article, types)
    nodes = [(e, {_form(e.name), *(_form(f) for f in e.forms)}) for e in graph.entities]
    holders: dict[str, list[tuple[str, str]]] = defaultdict(list)  # form -> (key, type)
    for entity, forms in nodes:
        for form in forms:
            holders[form].append((entity.key, entity.type))
        tally.nodes += 1
        golden = forms & names.keys()
        if golden:
            tally.right += 1
            tally.typed_right += any(names[f] == entity.type for f in golden)
        else:
            tally.wrong_nodes.append(f"{article.article.id}: {entity.type} {entity.name}")
    for form, etype in sorted(names.items()):
        tally.gold += 1
        held = holders.get(form, [])
        if held:
            tally.found += 1
            tally.typed_found += any(t == etype for _, t in held)
        else:
            tally.missed.append(f"{article.article.id}: {etype} {form}")
        keys = {k for k, _ in held}
        tally.splits += len(keys) > 1
        whole = _full_name(form, etype, names)
        if whole is None:
            tally.across[(group, etype, form)][article.article.id] = keys
            continue
        # A person's last name and full name, both marked, are one person.
        whole_keys = {k for k, _ in holders.get(whole, [])}
        tally.splits += bool(keys and whole_keys and not keys & whole_keys)


def _full_name(form: str, etype: str, names: dict[str, str]) -> str | None:
    """The one full person name of the article that a lone last name is short for."""
    if etype != "Person" or " " in form:
        return None
    full = [f for f, t in names.items() if t == "Person" and f.split()[-1] == form and f != form]
    return full[0] if len(full) == 1 else None
