"""`kg eval`: the product's relations or entities scored against gold annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from flows.cli.common import Config, DataDir, app, examples, out, settings_of


@app.command(
    name="eval",
    epilog=examples(
        "kg eval crossre ../shared/data/crossre-news --split dev",
        "kg eval conll04 ../shared/data/conll04 --split test --json",
        "kg eval entities ../shared/data/crossre-news --split dev",
    ),
)
def evaluate(
    benchmark: Annotated[
        str,
        typer.Argument(help="The benchmark: crossre or conll04; entities is crossre --entities."),
    ],
    data: Annotated[Path, typer.Argument(help="The benchmark's folder of split files.")],
    split: Annotated[str, typer.Option("--split", help="train, dev or test.")] = "test",
    entities: Annotated[
        bool, typer.Option("--entities", help="Score the entities instead of the relations.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Score the product's relations (or, with --entities, its entities) against gold
    annotations, from raw text.

    Each gold sentence goes through what `kg ingest` runs (cleaning, the recognizer, the
    relation extractors, resolution) and the statements are matched to the gold relations
    through the ontology's `crossre:` and `conll04:` labels. A CrossRE split the shipped
    models trained on is scored by cross-validation, each article by the shipped fold
    models that never saw it, as the model card reports.
    """
    from flows.evaluation import evaluate_split

    settings = settings_of(data_dir, config)
    if benchmark == "entities":  # the spelling: CrossRE's entity annotations
        benchmark, entities = "crossre", True
    if entities:
        from flows.entity_evaluation import evaluate_entities

        scores = evaluate_entities(benchmark, data, split, settings)
        if as_json:
            sys.stdout.write(json.dumps(scores) + "\n")
        else:
            _print_entity_scores(scores)
        return
    scores = evaluate_split(benchmark, data, split, settings)
    if as_json:
        sys.stdout.write(json.dumps(scores) + "\n")
        return
    for kind, report in scores.items():
        if not isinstance(report, dict) or "overall" not in report:
            continue
        o = report["overall"]
        out.print(
            f"{benchmark} {split}, {kind} ({scores['method']}): precision {o['precision']:.3f} "
            f"({o['right']}/{o['statements']} statements), recall {o['recall']:.3f} "
            f"({o['found']}/{o['gold']} gold), F1 {o['f1']:.3f}",
            highlight=False,
        )
        table = Table(title_justify="left")
        table.add_column("gold label")
        table.add_column("recall", justify="right")
        table.add_column("predicate")
        table.add_column("precision", justify="right")
        recall = list(report["recall_by_label"].items())
        precision = list(report["precision_by_predicate"].items())
        for i in range(max(len(recall), len(precision))):
            r = recall[i] if i < len(recall) else ("", None)
            p = precision[i] if i < len(precision) else ("", None)
            table.add_row(
                r[0],
                "" if r[1] is None else f"{r[1]:.3f}",
                p[0],
                "" if p[1] is None else f"{p[1]:.3f}",
            )
        out.print(table)


def _print_entity_scores(scores: dict[str, Any]) -> None:
    e = scores["entities"]
    found, prec, typed = e["found"], e["precision"], e["typed"]
    multi, b3 = e["multi_article"], e["b_cubed"]
    where = f"{scores['benchmark']} {scores['split']}, {scores['articles']} articles"
    lines = [
        f"found {found['recall']:.3f} ({found['found']}/{found['gold']} gold names)",
        f"precision {prec['precision']:.3f} ({prec['right']}/{prec['nodes']} nodes)",
        f"typed F1 {typed['f1']:.3f} (P {typed['precision']:.3f}, R {typed['recall']:.3f})",
        f"within-article splits {e['within_article_splits']}",
        f"multi-article names on one node {multi['share']:.3f} "
        f"({multi['one_node']}/{multi['entities']})",
        f"cross-article B-cubed F1 {b3['f1']:.3f} (P {b3['precision']:.3f}, R {b3['recall']:.3f})",
    ]
    out.print(f"{where}, entities: " + "; ".join(lines), highlight=False)
