"""CoNLL04 relation extraction: a trained entity recognizer plus a relation classifier,
and the strict evaluation (both spans, both entity types and the relation type must match).

Everything that is trained comes from `train()`, from the CoNLL04 train split; nothing is
downloaded. The entity recognizer is the shipped spaCy model's NER, fine-tuned on the
CoNLL04 labels; relations are scored by a logistic regression over features of each
typed entity pair (words between, dependency path, heads).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import spacy
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from flows.errors import ConfigError

ENTITY_TYPES = ("Peop", "Org", "Loc", "Other")
# The relation types of CoNLL04 and the argument types each allows.
SIGNATURES = {
    ("Peop", "Org"): ("Work_For",),
    ("Peop", "Loc"): ("Live_In",),
    ("Org", "Loc"): ("OrgBased_In",),
    ("Loc", "Loc"): ("Located_In",),
    ("Peop", "Peop"): ("Kill",),
}
NONE = "none"
PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    entities: tuple[tuple[int, int, str], ...]  # (start, end, type), token offsets
    relations: tuple[tuple[int, int, str], ...]  # (head entity index, tail entity index, type)


Triple = tuple[tuple[int, int, str], tuple[int, int, str], str]


def read_split(data_dir: Path, split: str) -> list[Sentence]:
    path = data_dir / f"conll04_{split}.json"
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc})") from None
    return [
        Sentence(
            tokens=tuple(PTB.get(t, t) for t in r["tokens"]),
            entities=tuple((e["start"], e["end"], e["type"]) for e in r["entities"]),
            relations=tuple((rel["head"], rel["tail"], rel["type"]) for rel in r["relations"]),
        )
        for r in records
    ]


def gold_triples(sentence: Sentence) -> set[Triple]:
    return {(sentence.entities[h], sentence.entities[t], rel) for h, t, rel in sentence.relations}


# --- features ----------------------------------------------------------------------------


def _head(span: Span):
    return span.root


def _path(a, b) -> str:
    """The dependency path between two tokens, as dep labels up to the common ancestor
    and down again, with the ancestor's lemma."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return "nopath"
    left = [t.dep_ for t in up_a[: up_a.index(common)]]
    right = [t.dep_ for t in up_b[: up_b.index(common)]]
    return "/".join(left) + f"^{common.lemma_.lower()}^" + "/".join(reversed(right))


def pair_features(doc: Doc, e1: Span, e2: Span, others: list[Span]) -> dict[str, Any]:
    first, second = (e1, e2) if e1.start < e2.start else (e2, e1)
    between = doc[first.end : second.start]
    h1, h2 = _head(e1), _head(e2)
    features: dict[str, Any] = {
        "types": f"{e1.label_}>{e2.label_}",
        "order": "fwd" if e1.start < e2.start else "rev",
        "distance": min(len(between), 15) // 3,
        "path": _path(h1, h2),
        "head1": h1.lemma_.lower(),
        "head2": h2.lemma_.lower(),
        "dep1": h1.dep_,
        "dep2": h2.dep_,
        "entities_between": sum(
            1 for o in others if first.end <= o.start and o.end <= second.start
        ),
        "before1": doc[e1.start - 1].lower_ if e1.start > 0 else "<s>",
        "after2": doc[e2.end].lower_ if e2.end < len(doc) else "</s>",
        "e1_words": len(e1),
        "e2_words": len(e2),
    }
    for token in between:
        if not token.is_punct:
            features[f"btw={token.lemma_.lower()}"] = 1
    if len(between) <= 4:
        features["btw_seq=" + " ".join(t.lower_ for t in between)] = 1
    for token in (h1.head, h2.head):
        features[f"gov={token.lemma_.lower()}"] = 1
    for word in e1:
        features[f"w1={word.lower_}"] = 1
    for word in e2:
        features[f"w2={word.lower_}"] = 1
    return {k: v for k, v in features.items()}


def candidate_pairs(doc: Doc, spans: list[Span]) -> Iterator[tuple[Span, Span]]:
    for e1 in spans:
        for e2 in spans:
            if e1 is not e2 and (e1.label_, e2.label_) in SIGNATURES:
                yield e1, e2


# --- the model ---------------------------------------------------------------------------


def _doc(nlp: Language, tokens: Iterable[str]) -> Doc:
    return Doc(nlp.vocab, words=list(tokens))


@dataclass
class Conll04Model:
    nlp: Language
    vectorizer: DictVectorizer
    classifier: LogisticRegression
    threshold: float

    def scored(self, sentences: list[Sentence]) -> list[dict[Triple, float]]:
        """Every typed candidate relation with the classifier's probability for it."""
        docs = (_doc(self.nlp, s.tokens) for s in sentences)
        results = []
        for doc in self.nlp.pipe(docs, batch_size=64):
            spans = [e for e in doc.ents if e.label_ in ENTITY_TYPES]
            pairs = list(candidate_pairs(doc, spans))
            found: dict[Triple, float] = {}
            if pairs:
                x = self.vectorizer.transform([pair_features(doc, a, b, spans) for a, b in pairs])
                labels = self.classifier.classes_
                for (a, b), row in zip(pairs, self.classifier.predict_proba(x), strict=True):
                    best = int(row.argmax())
                    if labels[best] != NONE and labels[best] in SIGNATURES[(a.label_, b.label_)]:
                        triple = (
                            (a.start, a.end, a.label_),
                            (b.start, b.end, b.label_),
                            labels[best],
                        )
                        found[triple] = float(row[best])
            results.append(found)
        return results

    def predict(self, sentences: list[Sentence]) -> list[set[Triple]]:
        return [
            {t for t, p in found.items() if p >= self.threshold} for found in self.scored(sentences)
        ]

    def save(self, path: Path, fingerprint: str) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(path / "nlp")
        parts = {"vectorizer": self.vectorizer, "classifier": self.classifier}
        joblib.dump({**parts, "threshold": self.threshold}, path / "relations.joblib")
        (path / "fingerprint").write_text(fingerprint)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> Conll04Model | None:
        """The model saved at `path`, or None if there is none or it came from other
        training data, code or settings."""
        try:
            if (path / "fingerprint").read_text() != fingerprint:
                return None
            parts = joblib.load(path / "relations.joblib")
            nlp = spacy.load(path / "nlp")
        except (OSError, ValueError, KeyError):
            return None
        return cls(nlp, parts["vectorizer"], parts["classifier"], parts["threshold"])


def fingerprint(data_dir: Path, base_model: str, epochs: int, seed: int) -> str:
    """What a trained model depends on: training data, this code, the base model, settings."""
    digest = hashlib.sha256()
    for name in ("conll04_train.json", "conll04_dev.json"):
        digest.update((data_dir / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(f"{base_model}|{epochs}|{seed}|{spacy.__version__}".encode())
    return digest.hexdigest()


def trained_model(
    data_dir: Path, model_dir: Path, base_model: str, epochs: int = 10, seed: int = 13, log=print
) -> Conll04Model:
    """The model in `model_dir` if it is current, else a freshly trained one (saved there)."""
    try:
        key = fingerprint(data_dir, base_model, epochs, seed)
    except OSError as exc:
        raise ConfigError(f"CoNLL04 data in {data_dir}: cannot read ({exc.strerror})") from None
    model = Conll04Model.load(model_dir, key)
    if model is None:
        log(f"training the CoNLL04 model once (saved in {model_dir})")
        model = train(data_dir, base_model, epochs=epochs, seed=seed, log=log)
        model.save(model_dir, key)
    return model


def train_ner(base_model: str, train: list[Sentence], epochs: int, seed: int, log) -> Language:
    """Fine-tune the shipped model's entity recognizer on the CoNLL04 entity types."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.load(base_model, exclude=["lemmatizer"])
    ner = nlp.get_pipe("ner")
    for label in ENTITY_TYPES:
        ner.add_label(label)
    examples = []
    for s in train:
        doc = _doc(nlp, s.tokens)
        ents = [Span(doc, start, end, label=label) for start, end, label in s.entities]
        reference = _doc(nlp, s.tokens)
        reference.ents = ents
        examples.append(Example(doc, reference))
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    with nlp.select_pipes(enable=["ner"]):
        for epoch in range(epochs):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in spacy.util.minibatch(examples, size=16):
                nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            log(f"ner epoch {epoch + 1}/{epochs}: loss {losses.get('ner', 0):.1f}")
    return nlp


def train(
    data_dir: Path, base_model: str, epochs: int = 12, seed: int = 13, log=print
) -> Conll04Model:
    started = time.perf_counter()
    train_split = read_split(data_dir, "train")
    nlp = train_ner(base_model, train_split, epochs, seed, log)
    # Relation training pairs come from the gold entities, so the classifier learns
    # relations, not the recognizer's mistakes.
    rows, labels = [], []
    docs = nlp.pipe((_doc(nlp, s.tokens) for s in train_split), batch_size=64)
    for sentence, doc in zip(train_split, docs, strict=True):
        spans = [Span(doc, start, end, label=label) for start, end, label in sentence.entities]
        gold = {(spans[h].start, spans[t].start): rel for h, t, rel in sentence.relations}
        for a, b in candidate_pairs(doc, spans):
            rows.append(pair_features(doc, a, b, spans))
            labels.append(str(gold.get((a.start, b.start), NONE)))
    vectorizer = DictVectorizer()
    classifier = LogisticRegression(max_iter=2000, C=1.0)
    classifier.fit(vectorizer.fit_transform(rows), labels)
    model = Conll04Model(nlp, vectorizer, classifier, threshold=0.5)
    model.threshold = _tune_threshold(model, read_split(data_dir, "dev"))
    seconds = time.perf_counter() - started
    log(f"trained in {seconds:.0f}s; decision threshold {model.threshold:.2f} (tuned on dev)")
    return model


def _tune_threshold(model: Conll04Model, dev: list[Sentence]) -> float:
    """The decision threshold with the best dev F1 among those with precision >= 0.6."""
    scored = model.scored(dev)
    best, best_f1 = 0.5, -1.0
    for step in range(30, 95, 5):
        threshold = step / 100
        kept = [{t for t, p in found.items() if p >= threshold} for found in scored]
        overall = score(dev, kept)["overall"]
        if overall["precision"] >= 0.6 and overall["f1"] > best_f1:
            best, best_f1 = threshold, overall["f1"]
    return best


# --- scoring -----------------------------------------------------------------------------


def score(sentences: list[Sentence], predictions: list[set[Triple]]) -> dict[str, Any]:
    """Strict micro precision/recall/F1, overall and per relation type."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for sentence, predicted in zip(sentences, predictions, strict=True):
        gold = gold_triples(sentence)
        for triple in predicted & gold:
            tp[triple[2]] += 1
        for triple in predicted - gold:
            fp[triple[2]] += 1
        for triple in gold - predicted:
            fn[triple[2]] += 1

    def prf(t: int, p: int, n: int) -> dict[str, float]:
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": t,
            "fp": p,
            "fn": n,
        }

    types = sorted(str(t) for t in set(tp) | set(fp) | set(fn))
    return {
        "overall": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "per_type": {t: prf(tp[t], fp[t], fn[t]) for t in types},
    }
