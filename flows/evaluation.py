"""Relation scores of the product's own output against gold annotations.

The graphs scored here are the ArticleGraphs the load stage writes: raw text through the
product's cleaning, recognizer, relation extractors and resolution. A statement matches a
gold relation when it is in the gold sentence and its two entities are the gold ones,
named as the annotators marked them (compared as match forms, so case, dots and hyphens
do not count).

- unlabeled: the right two entities linked in the right sentence, whatever the type or
  direction (every gold relation counts, whatever its label or argument types);
- typed: and the statement's type covers the gold label (ontology `crossre:` keys);
- strict (CoNLL04): and both entity types and the direction are right too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.across_articles import across
from flows.backends import InProcess
from flows.clean import clean
from flows.errors import ConfigError
from flows.model import ArticleGraph, Statement
from flows.names import match_form, normalize_name
from flows.ontology import Ontology
from flows.pool import CHUNK, ExtractConfig, batched, worker_stages
from flows.settings import Settings
from flows.training.data import GoldArticle, GoldSentence


@dataclass(frozen=True)
class _Found:
    statement: Statement
    subject_forms: frozenset[str]
    object_forms: frozenset[str]
    subject_type: str
    object_type: str


def _form(text: str) -> str:
    return match_form(normalize_name(text))


def _found_in(graph: ArticleGraph) -> list[_Found]:
    entities = {e.key: e for e in graph.entities}

    def forms(key: str) -> frozenset[str]:
        e = entities[key]
        return frozenset({_form(e.name), *(_form(f) for f in e.forms)})

    return [
        _Found(s, forms(s.subject), forms(s.object), entities[s.subject].type,
               entities[s.object].type)
        for s in graph.statements
    ]  # fmt: skip


def _in_sentence(found: _Found, sentence: GoldSentence) -> bool:
    return found.statement.start < sentence.end and sentence.start < found.statement.end


class Tally:
    """Counts for one way of matching. Recall is over gold relations (by gold label),
    precision over the product's statements (by predicate): one statement may match two
    gold relations and is still one statement."""

    def __init__(self) -> None:
        self.found: Counter[str] = Counter()  # gold label -> gold relations matched
        self.missed: Counter[str] = Counter()  # gold label -> gold relations not matched
        self.right: Counter[str] = Counter()  # predicate -> statements that matched
        self.wrong: Counter[str] = Counter()  # predicate -> statements that did not

    def gold(self, label: str, matched: bool) -> None:
        (self.found if matched else self.missed)[label] += 1

    def statement(self, predicate: str, matched: bool) -> None:
        (self.right if matched else self.wrong)[predicate] += 1

    def report(self) -> dict[str, Any]:
        def one(found: int, missed: int, right: int, wrong: int) -> dict[str, float]:
            precision = right / (right + wrong) if right + wrong else 0.0
            recall = found / (found + missed) if found + missed else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            return {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "gold": found + missed,
                "found": found,
                "statements": right + wrong,
                "right": right,
            }

        total = [sum(c.values()) for c in (self.found, self.missed, self.right, self.wrong)]
        return {
            "overall": one(*total),
            "recall_by_label": {
                k: one(self.found[k], self.missed[k], 0, 0)["recall"]
                for k in sorted(set(self.found) | set(self.missed))
            },
            "precision_by_predicate": {
                k: one(0, 0, self.right[k], self.wrong[k])["precision"]
                for k in sorted(set(self.right) | set(self.wrong))
            },
        }


def score_crossre(
    gold: Sequence[GoldArticle],
    graphs: Iterable[ArticleGraph],
    ontology: Ontology,
    tallies: dict[str, Tally] | None = None,
) -> dict[str, Any]:
    """Unlabeled and typed scores, overall and per label (false positives are counted
    under the statement's predicate). `tallies` accumulates across calls."""
    tallies = tallies if tallies is not None else {"unlabeled": Tally(), "typed": Tally()}
    unlabeled, typed = tallies["unlabeled"], tallies["typed"]
    by_id = {g.article.id: g for g in gold}
    scored = set()
    for graph in graphs:
        article = by_id[graph.article.id]
        scored.add(graph.article.id)
        found = _found_in(graph)
        matched_pair: set[int] = set()
        matched_typed: set[int] = set()
        for sentence in article.sentences:
            here = [i for i, f in enumerate(found) if _in_sentence(f, sentence)]
            for rel in sentence.relations:
                head = _form(sentence.entities[rel.head].text)
                tail = _form(sentence.entities[rel.tail].text)
                pair = [
                    i for i in here
                    if (head in found[i].subject_forms and tail in found[i].object_forms)
                    or (tail in found[i].subject_forms and head in found[i].object_forms)
                ]  # fmt: skip
                hits = [
                    i
                    for i in pair
                    if ontology.relation_types[found[i].statement.predicate].covers(
                        "crossre", rel.label
                    )
                ]
                unlabeled.gold(rel.label, bool(pair))
                typed.gold(rel.label, bool(hits))
                matched_pair.update(pair)
                matched_typed.update(hits)
        for i, f in enumerate(found):
            unlabeled.statement(f.statement.predicate, i in matched_pair)
            typed.statement(f.statement.predicate, i in matched_typed)
    missing = [g for g in gold if g.article.id not in scored]
    for article in missing:  # an article the product rejected finds nothing
        for sentence in article.sentences:
            for rel in sentence.relations:
                unlabeled.gold(rel.label, False)
                typed.gold(rel.label, False)
    return {
        "unlabeled": unlabeled.report(),
        "typed": typed.report(),
    }


def score_conll04(
    gold: Sequence[GoldArticle],
    graphs: Iterable[ArticleGraph],
    ontology: Ontology,
    strict: Tally | None = None,
) -> dict[str, Any]:
    """Strict scores: both entities named as marked and typed right, the direction and
    the relation type right. Precision counts every statement of a type with a
    `conll04:` label."""
    strict = strict if strict is not None else Tally()
    types = ontology.scheme_types.get("conll04", {})
    by_id = {g.article.id: g for g in gold}
    seen = set()
    for graph in graphs:
        article = by_id[graph.article.id]
        seen.add(graph.article.id)
        found = _found_in(graph)
        matched: set[int] = set()
        for sentence in article.sentences:
            here = [i for i, f in enumerate(found) if _in_sentence(f, sentence)]
            for rel in sentence.relations:
                head, tail = sentence.entities[rel.head], sentence.entities[rel.tail]
                hits = [
                    i
                    for i in here
                    if _form(head.text) in found[i].subject_forms
                    and _form(tail.text) in found[i].object_forms
                    and types.get(head.label) == found[i].subject_type
                    and types.get(tail.label) == found[i].object_type
                    and ontology.relation_types[found[i].statement.predicate].covers(
                        "conll04", rel.label
                    )
                ]
                strict.gold(rel.label, bool(hits))
                matched.update(hits)
        for i, f in enumerate(found):
            # Only types CoNLL04 annotates can be wrong by its gold: a statement of another
            # type (OPPOSES, MEETS) is outside the scheme, neither right nor wrong.
            if ontology.relation_types[f.statement.predicate].schemes.get("conll04"):
                strict.statement(f.statement.predicate, i in matched)
    for article in gold:
        if article.article.id not in seen:
            for sentence in article.sentences:
                for rel in sentence.relations:
                    strict.gold(rel.label, False)
    return {"strict": strict.report()}


SCORERS = {"crossre": score_crossre, "conll04": score_conll04}


def read_gold(benchmark: str, data: Path, split: str) -> list[GoldArticle]:
    from flows.training.data import read_conll04, read_crossre

    readers = {"crossre": read_crossre, "conll04": read_conll04}
    if benchmark not in readers:
        raise ConfigError(f"unknown benchmark {benchmark!r}; use crossre or conll04")
    return readers[benchmark](data, split)


def product_graphs(gold: Sequence[GoldArticle], config: ExtractConfig) -> list[ArticleGraph]:
    """What `kg ingest` would write for these articles: the flow's own transform."""
    _, ontology = worker_stages(config)
    cleaned = [clean(g.article, ontology.drop_lines) for g in gold]
    with InProcess(config) as backend:
        return [g for chunk in backend.map_ordered(batched(cleaned, CHUNK)) for g in chunk]


def split_name(benchmark: str, split: str) -> str:
    """How the model cards name a split they trained on: "crossre-news dev", "conll04 dev"."""
    return f"{benchmark}-news {split}" if benchmark == "crossre" else f"{benchmark} {split}"


def held_out_folds(
    benchmark: str, data: Path, split: str, config: ExtractConfig
) -> dict[str, int] | None:
    """Article id -> fold where a shipped model trained on this split (CrossRE dev: the
    recognizer, the relation model), so that each article is read and scored by the fold
    models that never saw it; None where neither did."""
    if benchmark != "crossre":
        return None
    models = Path(config.models_dir)
    name = split_name(benchmark, split)
    recognizer = config.recognizer == str(models / "ner") and name in _read_card(
        models / "ner" / "card.json"
    ).get("trained_on", [])
    relations = (
        "trained" in config.relation_extractors
        and config.relation_model is None
        and name in model_card(models).get("trained_on", [])
    )
    if not (recognizer or relations):
        return None
    from flows.training.folds import crossre_folds

    return crossre_folds(data)


def held_out_graphs(
    gold: Sequence[GoldArticle], config: ExtractConfig, folds: dict[str, int] | None
) -> list[ArticleGraph]:
    """`product_graphs`, each article read and scored by its fold's models when `folds` says,
    and names typed across the articles read by one recognizer, as one `kg ingest` of
    them would (flows/across_articles.py)."""
    _, ontology = worker_stages(config)
    if folds is None:
        return across(product_graphs(gold, config), ontology)
    from flows.training.folds import fold_config

    graphs: dict[str, ArticleGraph] = {}
    for fold in sorted({folds[g.article.id] for g in gold}):
        members = [g for g in gold if folds[g.article.id] == fold]
        read = product_graphs(members, fold_config(config, fold))
        graphs.update((g.article.id, g) for g in across(read, ontology))
    return [graphs[g.article.id] for g in gold if g.article.id in graphs]


def evaluate_benchmark(
    benchmark: str, data: Path, split: str, config: ExtractConfig
) -> dict[str, Any]:
    """Scores of the product on one split of a benchmark, from raw text: by the shipped
    models, or, on a split they trained on, by the fold models that never saw the article
    (flows/training/folds.py), as the model card reports."""
    gold = read_gold(benchmark, data, split)
    _, ontology = worker_stages(config)
    folds = held_out_folds(benchmark, data, split, config)
    graphs = held_out_graphs(gold, config, folds)
    scores = SCORERS[benchmark](gold, graphs, ontology)
    method = (
        "shipped model" if folds is None else f"cross-validated, {len(set(folds.values()))} folds"
    )
    return {
        "method": method,
        "benchmark": benchmark,
        "split": split,
        "articles": len(gold),
        **scores,
    }


def model_card(models_dir: Path) -> dict[str, Any]:
    return _read_card(models_dir / "relations" / "card.json")


def _read_card(path: Path) -> dict[str, Any]:
    """A model card, {} where there is none; a damaged one is a clear error."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return {}
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc})") from None


def evaluate_split(benchmark: str, data: Path, split: str, settings: Settings) -> dict[str, Any]:
    """`kg eval`: the product's scores on a split. CoNLL04's train and dev, which the
    shipped relation model trained on and has no fold models for, measure nothing."""
    config = ExtractConfig.of(settings)
    trained_on = split_name(benchmark, split)
    if (
        benchmark != "crossre"
        and "trained" in config.relation_extractors
        and trained_on in model_card(settings.models_dir).get("trained_on", ())
    ):
        raise ConfigError(f"the shipped model trained on {trained_on}: it measures nothing")
    return evaluate_benchmark(benchmark, data, split, config)
