"""Judged BBC statements as training rows: the product's own mistakes, read by people.

Every sample of record in `docs/judged/` is 100 statements the product wrote on the BBC
corpus, each judged right or wrong by the rules in ../shared/eval/judging-statements.md.
CrossRE and CoNLL04 are Reuters and 1990s newswire; these verdicts are the only labels
of BBC phrasing there are, and they fall exactly on the pairs the model gets wrong.

The BBC articles are split by a hash of their id (`learned_from`). Verdicts on statements
of the learned three quarters become rows: a right statement is a positive for its predicate,
a wrong one a "none" row, whatever made it wrong. A statement wrong only in its names (a
film read as a person, a cut-short name) is wrong all the same, and the pair's words
often say so ("Xbox Live" working for Microsoft); leaving those out gave the same share
right at the default thresholds and a worse ranking by confidence (docs/history.md,
stop 57). The last quarter is never learned from: samples of record are drawn there, and
its verdicts measure a model fairly.

Features come from the product's own parse of the article, so the rows follow the
current feature code; a statement whose sentence or names the product no longer finds
is skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc

from flows.clean import clean
from flows.extract import Extractor
from flows.model import Article, CleanArticle
from flows.ontology import Ontology
from flows.read import read_jsonl
from flows.relations import Candidate
from flows.relations.features import DocFeatures
from flows.relations.trained import NONE, candidate_pairs
from flows.settings import REPO_ROOT
from flows.training.annotated_relations import AnnotatedSentence, annotated_sentences, pair_labels
from flows.training.annotated_relations import digest as annotated_digest
from flows.training.folds import FOLDS

JUDGED_DIR = REPO_ROOT / "docs" / "judged"
BBC_FILE = Path("bbc") / "articles.jsonl"
MAX_BYTES = 10_000_000


# The quarter of the BBC articles (sha256 of the id, mod 4) that no model learns from.
HELD_OUT_QUARTER = 3


def _hash(article_id: str) -> int:
    return int(hashlib.sha256(article_id.encode()).hexdigest(), 16)


def learned_from(article_id: str) -> bool:
    """The BBC articles whose judged statements and annotated sentences the model learns
    from: three quarters of them, by a hash of the id. Until stop 61 it was half; once
    every sentence of that half with a scored pair was annotated and the learning curve
    still climbed, one of the two held-out quarters moved over, and samples of record
    since are drawn from the last quarter (`held_out`)."""
    return _hash(article_id) % 4 != HELD_OUT_QUARTER


def held_out(article_id: str) -> bool:
    """The BBC articles no model learns from: samples of record are drawn here."""
    return not learned_from(article_id)


def judged_fold(article_id: str) -> int:
    """The cross-validation fold of a learned article: its verdicts score the fold
    model that did not learn from them (flows/training/crossval.py)."""
    return _hash(article_id) // 2 % FOLDS


@dataclass(frozen=True)
class JudgedStatement:
    id: str
    article: str
    subject: str
    predicate: str
    object: str
    sentence: str
    right: bool
    reason: str

    @property
    def label(self) -> str:
        """What the relation model learns from the verdict."""
        return self.predicate if self.right else NONE


def judged_statements(
    directory: Path = JUDGED_DIR, leave_out: str | None = None
) -> list[JudgedStatement]:
    """Every judged BBC statement (`*sample*.jsonl` with its `*verdicts*.jsonl`, matched
    by `n`; not the cross-article samples, which judge links), one per statement: a
    statement judged twice keeps the later file's verdict (files sorted by name).
    `leave_out` names a model version whose sample to skip."""
    found: dict[tuple[str, ...], JudgedStatement] = {}
    for sample in sorted(directory.glob("*sample*.jsonl")):
        answers = sample.with_name(sample.name.replace("sample", "verdicts"))
        if "cross-article" in sample.name or not answers.exists():
            continue
        if leave_out and sample.name == f"bbc-sample-{leave_out}.jsonl":
            continue
        verdicts = {}
        for line in answers.read_text(encoding="utf-8").splitlines():
            verdict = json.loads(line)
            verdicts[verdict["n"]] = verdict
        for line in sample.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            verdict = verdicts.get(row.get("n"))
            if verdict is None or "article" not in row:
                continue
            statement = JudgedStatement(
                id=row.get("id", ""),
                article=row["article"],
                subject=row["subject"],
                predicate=row["predicate"],
                object=row["object"],
                sentence=row["sentence"].strip(),
                right=bool(verdict["right"]),
                reason=verdict.get("reason") or "",
            )
            key = (statement.article, statement.subject, statement.predicate,
                   statement.object, statement.sentence)  # fmt: skip
            found[key] = statement
    return [found[k] for k in sorted(found)]


def learned_statements(directory: Path = JUDGED_DIR) -> list[JudgedStatement]:
    """The judged statements the model learns from: those of learned articles."""
    return [s for s in judged_statements(directory) if learned_from(s.article)]


def digest(statements: Sequence[JudgedStatement]) -> str:
    """The sha256 of what the model learned from: a sample judged in the held-out quarter,
    or a statement with nothing to teach, leaves it unchanged."""
    body = [[s.article, s.subject, s.predicate, s.object, s.sentence, s.label]
            for s in statements]  # fmt: skip
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def learned_annotations() -> list[AnnotatedSentence]:
    """The annotated sentences the model learns from: those of learned articles."""
    return [a for a in annotated_sentences() if learned_from(a.article)]


def training_digest(
    statements: Sequence[JudgedStatement], annotated: Sequence[AnnotatedSentence]
) -> str:
    """The sha256 of the BBC rows' sources: the learned verdicts and the annotated
    sentences (with none, the verdicts' digest alone, as before there were any)."""
    if not annotated:
        return digest(statements)
    both = digest(statements) + annotated_digest(annotated)
    return hashlib.sha256(both.encode()).hexdigest()


@dataclass(frozen=True)
class JudgedDoc:
    """A learning-half article as the product parsed it, and its judged pairs:
    (subject, object, predicate, right) by candidate index."""

    article: str
    doc: Doc
    candidates: tuple[Candidate, ...]
    verdicts: tuple[tuple[int, int, str, bool], ...]
    # Every scored pair of its annotated sentences and its label (NONE for no relation).
    annotated: tuple[tuple[int, int, str], ...] = ()

    @property
    def fold(self) -> int:
        return judged_fold(self.article)


@dataclass(frozen=True)
class JudgedRows:
    rows: tuple[tuple[str, ...], ...]
    targets: tuple[str, ...]
    folds: tuple[int, ...]  # each row's fold
    docs: tuple[JudgedDoc, ...]
    statements: int  # learned statements
    sha256: str
    annotated: int = 0  # annotated sentences found in the product's parse

    def without(self, fold: int | None) -> JudgedRows:
        """The rows a fold's model learns from: every fold's but its own."""
        keep = [k for k, f in enumerate(self.folds) if f != fold]
        return replace(
            self,
            rows=tuple(self.rows[k] for k in keep),
            targets=tuple(self.targets[k] for k in keep),
            folds=tuple(self.folds[k] for k in keep),
        )

    def card(self) -> dict:
        counts = Counter(self.targets)
        return {
            "source": "docs/judged (the three quarters of the BBC articles learned from)",
            "sha256": self.sha256,
            "statements": self.statements,
            "annotated_sentences": self.annotated,
            "rows": len(self.rows),
            "labels": dict(sorted(counts.items())),
        }


def judged_rows(
    extractor: Extractor, data: Path, labels: frozenset[str], directory: Path = JUDGED_DIR
) -> JudgedRows:
    """The learned statements and the annotated sentences (flows/training/
    annotated_relations.py) as feature rows of the pairs the product scores, and every
    judged statement of a learned article by the pair it was read from."""
    statements = learned_statements(directory)
    by_article: dict[str, list[JudgedStatement]] = {}
    for s in judged_statements(directory):
        if learned_from(s.article):
            by_article.setdefault(s.article, []).append(s)
    annotated = learned_annotations()
    annotated_by_article: dict[str, list[AnnotatedSentence]] = {}
    for sentence in annotated:
        annotated_by_article.setdefault(sentence.article, []).append(sentence)
    articles = [
        a
        for a in read_jsonl(data / BBC_FILE, MAX_BYTES)
        if isinstance(a, Article) and (a.id in by_article or a.id in annotated_by_article)
    ]
    annotated_found = 0
    ontology = extractor.ontology
    found: dict[tuple[str, int, int], tuple[tuple[str, ...], str]] = {}
    docs = []
    cleaned = (clean(a, ontology.drop_lines) for a in articles)
    for article, (doc, cleaned_article, candidates) in zip(
        articles, extractor.parse(cleaned), strict=True
    ):
        features = DocFeatures(doc, [(c.span, c.type) for c in candidates])
        pairs = _pairs_by_sentence(article, doc, cleaned_article, candidates, labels, ontology)
        verdicts = []
        for s in by_article.get(article.id, []):
            pair = _judged_pair(s, pairs.get(s.sentence, []), candidates)
            if pair is None or s.predicate not in labels:
                continue  # not found, or a rule's type, which the model does not predict
            i, j = pair
            verdicts.append((i, j, s.predicate, s.right))
            a, b = candidates[i], candidates[j]
            label = s.label
            if label != NONE and not ontology.allows(label, a.type, b.type):
                continue  # names the product now types so that the judged type cannot hold
            key = (article.id, i, j)
            if key in found and found[key][1] != NONE:
                continue  # a pair judged right once is right, whatever else it was read as
            found[key] = (tuple(features(a.span, a.type, b.span, b.type)), label)
        labelled = []
        for sentence in annotated_by_article.get(article.id, []):
            scored = pairs.get(sentence.sentence)
            if scored is None:
                continue  # the product no longer splits the article there
            annotated_found += 1
            for (i, j), label in pair_labels(
                sentence, scored, candidates, ontology, labels
            ).items():
                labelled.append((i, j, label))
                key = (article.id, i, j)
                if key in found and found[key][1] != NONE:
                    continue  # judged right, or annotated so in another reading
                a, b = candidates[i], candidates[j]
                found[key] = (tuple(features(a.span, a.type, b.span, b.type)), label)
        docs.append(JudgedDoc(article.id, doc, tuple(candidates), tuple(verdicts), tuple(labelled)))
    keys = sorted(found)
    return JudgedRows(
        rows=tuple(found[k][0] for k in keys),
        targets=tuple(found[k][1] for k in keys),
        folds=tuple(judged_fold(k[0]) for k in keys),
        docs=tuple(docs),
        statements=len(statements),
        sha256=training_digest(statements, annotated),
        annotated=annotated_found,
    )


def _pairs_by_sentence(
    article: Article,
    doc: Doc,
    cleaned: CleanArticle,
    candidates: Sequence[Candidate],
    labels: frozenset[str],
    ontology: Ontology,
) -> dict[str, list[tuple[int, int]]]:
    """The pairs the trained extractor scores, by the sentence's text as a statement
    quotes it (the article's original characters)."""

    def allowed(a: str, b: str) -> bool:
        return any(ontology.allows(label, a, b) for label in labels)

    text_of = {}
    for sent in doc.sents:
        start, end = cleaned.offsets.span_to_original(sent[0].idx, sent[-1].idx + len(sent[-1]))
        text_of[sent.start] = article.text[start:end].strip()
    out: dict[str, list[tuple[int, int]]] = {}
    for i, j in candidate_pairs(candidates, allowed):
        out.setdefault(text_of[candidates[i].span.sent.start], []).append((i, j))
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _name_match(mention: str, name: str) -> int:
    """How well a mention's text matches a node's name: the same words, the same last
    word ("Mr Blair" for Tony Blair), or a word in common; 0 for none."""
    m, n = _words(mention), _words(name)
    if not m or not n:
        return 0
    if m == n:
        return 3
    if m[-1] == n[-1]:
        return 2
    return 1 if set(m) & set(n) else 0


def _judged_pair(
    s: JudgedStatement, pairs: Sequence[tuple[int, int]], candidates: Sequence[Candidate]
) -> tuple[int, int] | None:
    """The scored pair whose names best match the statement's subject and object."""
    best, best_score = None, 0
    for i, j in pairs:
        a = _name_match(candidates[i].span.text, s.subject)
        b = _name_match(candidates[j].span.text, s.object)
        if a and b and a + b > best_score:
            best, best_score = (i, j), a + b
    return best
