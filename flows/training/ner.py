"""Fine-tune the shipped spaCy model's entity recognizer on annotated news.

The small English model was trained on OntoNotes; on Reuters text (all-caps headlines,
sports tables, datelines) it misses a quarter of the names. Here its recognizer is
updated on gold entities (CrossRE news train and dev, CoNLL04 train and dev), mapped through
the ontology to the model's own labels, while rehearsing what it already knows, so that it
does not forget: for every other label (dates, amounts, nationalities) and for unlabelled
BBC paragraphs, the targets are the base model's own predictions.

Beside the shipped one, one recognizer per fold of CrossRE (flows/training/folds.py) is
trained without that fold's articles: dev figures are measured with them.

Only the `ner` component is written (spaCy's own to_disk: config, weights as msgpack, the
weights stored as float16 by flows/weights.py); `flows.extract.load_nlp` swaps it into the
pipeline.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import random
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.training import Example, offsets_to_biluo_tags

from flows.ontology import Ontology
from flows.training.data import GoldArticle, sha256_of
from flows.training.folds import FOLDS, FOLDS_DIR, blocks, fold_recognizer
from flows.weights import STORAGE, store_half_precision

EPOCHS = 8
BATCH = 16
DROPOUT = 0.2
REHEARSAL = 1500  # BBC paragraphs the base model labels, so that it does not forget


def _sentences(
    articles: Iterable[GoldArticle],
) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    for gold in articles:
        text = gold.article.text
        for sentence in gold.sentences:
            entities = [
                (e.start - sentence.start, e.end - sentence.start, e.label)
                for e in sentence.entities
            ]
            yield text[sentence.start : sentence.end], entities


def _targets(
    base: Language,
    text: str,
    gold: Sequence[tuple[int, int, str]],
    scheme_types: dict[str, str],
    ontology: Ontology,
) -> list[str]:
    """The BILUO tags to learn for a sentence: gold names with the base model's label
    where it agrees on the kind of place; gold entities of other kinds (misc) are left
    unknown ("-") unless the base model found exactly them; everything else as the base
    model predicted it, but no person, organization or place that the annotators did not
    mark."""
    # Labels of the base model that the gold data annotates: the ontology's entity types.
    gold_labels = ontology.entity_types.keys()
    predicted = base(text)
    by_span = {(e.start_char, e.end_char): e.label_ for e in predicted.ents}
    targets: list[tuple[int, int, str]] = []
    unknown: list[tuple[int, int]] = []
    for start, end, label in gold:
        etype = scheme_types.get(label)
        if etype is None:
            base_label = by_span.get((start, end))
            if base_label and base_label not in gold_labels:
                targets.append((start, end, base_label))
            else:
                unknown.append((start, end))
            continue
        base_label = by_span.get((start, end))
        if base_label and ontology.entity_types.get(base_label) == etype:
            targets.append((start, end, base_label))
        else:
            targets.append((start, end, ontology.spacy_label(etype)))
    covered = [(s, e) for s, e, _ in targets] + unknown
    for ent in predicted.ents:
        overlaps = any(ent.start_char < e and s < ent.end_char for s, e in covered)
        if not overlaps and ent.label_ not in gold_labels:
            targets.append((ent.start_char, ent.end_char, ent.label_))
    doc = base.make_doc(text)
    tags = offsets_to_biluo_tags(doc, targets)
    for start, end in unknown:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for token in span:
                tags[token.i] = "-"
    return tags


def _silver_targets(base: Language, text: str) -> list[str]:
    """The base model's own entities, as tags: rehearsal."""
    predicted = base(text)
    return offsets_to_biluo_tags(
        base.make_doc(text), [(e.start_char, e.end_char, e.label_) for e in predicted.ents]
    )


def bbc_paragraphs(path: Path, count: int, seed: int) -> list[str]:
    """`count` paragraphs drawn at random from the BBC corpus (unlabelled)."""
    paragraphs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        paragraphs += [p.strip() for p in record["text"].split("\n\n")[1:] if len(p) > 80]
    random.Random(seed).shuffle(paragraphs)
    return paragraphs[:count]


Tagged = tuple[str, list[str]]  # a sentence or paragraph and the BILUO tags to learn


def fine_tune(
    base_model: str,
    tagged: Sequence[Tagged],
    rehearsal: int,
    seed: int,
    log: Callable[[str], None],
) -> Language:
    """The base pipeline with its recognizer fine-tuned on `tagged` (the last `rehearsal`
    of them the base model's own labels)."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.load(base_model, exclude=["lemmatizer"])
    # The examples' words are kept out of the saved recognizer's strings: a copy of the
    # pipeline, never run, makes their docs.
    words = spacy.load(base_model, exclude=["lemmatizer"])
    examples = [
        Example.from_dict(words.make_doc(text), {"entities": tags}) for text, tags in tagged
    ]
    log(f"ner: {len(examples)} examples ({rehearsal} of them rehearsal)")
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    with nlp.select_pipes(enable=["ner"]):
        for epoch in range(EPOCHS):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in spacy.util.minibatch(examples, size=BATCH):
                nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
            log(f"ner epoch {epoch + 1}/{EPOCHS}: loss {losses.get('ner', 0.0):.1f}")
    return nlp


def save_ner(nlp: Language, directory: Path) -> None:
    nlp.get_pipe("ner").to_disk(directory)
    store_half_precision(directory)  # half the bytes, the same entities (flows/weights.py)


def _train_one(
    base_model: str, tagged: Sequence[Tagged], rehearsal: int, seed: int, out: Path, version: str
) -> str:
    """One recognizer, written to `out` with its VERSION; run in a process of its own."""
    name = out.name if out.parent.name == FOLDS_DIR else "shipped"
    nlp = fine_tune(
        base_model, tagged, rehearsal, seed,
        lambda line: print(f"  {name}: {line}", file=sys.stderr, flush=True),
    )  # fmt: skip
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_ner(nlp, out)
    (out / "VERSION").write_text(version + "\n")
    return version


def _tag_all(
    base_model: str,
    labelled: Sequence[tuple[Sequence[GoldArticle], dict[str, str]]],
    paragraphs: Sequence[str],
    ontology: Ontology,
) -> tuple[dict[str, list[Tagged]], list[Tagged]]:
    """What each recognizer learns from, labelled by the base model once for all of them:
    article id -> its tagged sentences, and the tagged rehearsal paragraphs."""
    base = spacy.load(base_model, exclude=["lemmatizer"])
    with warnings.catch_warnings():
        # W030: a gold span that does not fall on spaCy's token boundaries is skipped.
        warnings.filterwarnings("ignore", message=r"\[W030\]")
        by_article = {
            article.article.id: [
                (text, _targets(base, text, gold, scheme_types, ontology))
                for text, gold in _sentences([article])
            ]
            for articles, scheme_types in labelled
            for article in articles
        }
    return by_article, [(text, _silver_targets(base, text)) for text in paragraphs]


def train_recognizers(
    data: Path,
    models: Path,
    base_model: str,
    schema_dir: Path,
    code: str,
    seed: int,
    log: Callable[[str], None],
    workers: int = 2,
) -> dict[str, Any]:
    """Fine-tune the shipped recognizer (`models/ner`) on CrossRE news train and dev and
    CoNLL04 train and dev, and one per fold (`models/ner-folds/fold-K`) on the same but
    for that fold's CrossRE articles (flows/training/folds.py); what they were trained
    on, for the model card."""
    from flows.ontology import load_ontology
    from flows.training.data import conll04_file, crossre_files, read_conll04, read_crossre

    ontology = load_ontology(schema_dir)
    crossre_dir, conll_dir = data / "crossre-news", data / "conll04"
    bbc = data / "bbc" / "articles.jsonl"
    files = [*crossre_files(crossre_dir, "train"), *crossre_files(crossre_dir, "dev"),
             conll04_file(conll_dir, "train"), conll04_file(conll_dir, "dev"), bbc]  # fmt: skip
    inputs = sha256_of(files)
    crossre = [a for split in ("train", "dev") for a in read_crossre(crossre_dir, split)]
    conll = [a for split in ("train", "dev") for a in read_conll04(conll_dir, split)]
    paragraphs = bbc_paragraphs(bbc, REHEARSAL, seed)
    folds = blocks(crossre)
    jobs: dict[Path, list[GoldArticle]] = {models / "ner": crossre}
    for k in range(FOLDS):
        jobs[fold_recognizer(models, k)] = [a for j, b in enumerate(folds) if j != k for a in b]

    def version(out: Path) -> str:
        name = str(out.relative_to(models))
        params = [inputs, code, seed, EPOCHS, BATCH, DROPOUT, REHEARSAL, name]
        return hashlib.sha256(json.dumps(params).encode()).hexdigest()[:12]

    schemes = ontology.scheme_types
    by_article, rehearsal = _tag_all(
        base_model,
        [(crossre, schemes["crossre"]), (conll, schemes["conll04"])],
        paragraphs,
        ontology,
    )
    log(f"ner: {len(jobs)} recognizers, {workers} at a time (the shipped one and {FOLDS} folds)")
    # Each is seeded on its own, so the same data and code give the same weights whatever
    # runs beside it; spawned, since spaCy and its BLAS threads do not survive a fork well.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {
            out: pool.submit(
                _train_one,
                base_model,
                [s for a in [*articles, *conll] for s in by_article[a.article.id]] + rehearsal,
                len(rehearsal),
                seed,
                out,
                version(out),
            )
            for out, articles in jobs.items()
        }
        versions = {out: future.result() for out, future in futures.items()}
    return {
        "version": versions[models / "ner"],
        "folds": {
            str(out.relative_to(models)): v for out, v in versions.items() if out != models / "ner"
        },
        "trained_on": ["crossre-news train", "crossre-news dev", "conll04 train", "conll04 dev",
                       f"{REHEARSAL} BBC paragraphs (rehearsal, the base model's own labels)"],
        "folds_trained_on": "the same less the fold's CrossRE articles (flows/training/folds.py)",
        "training_data": inputs,
        "hyperparameters": {"epochs": EPOCHS, "batch": BATCH, "dropout": DROPOUT},
        "storage": STORAGE,
    }  # fmt: skip
