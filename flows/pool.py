"""Extraction on a pool of worker processes, one per core by default.

Each worker runs the whole transform (spaCy, the relation patterns and resolution) on
chunks of articles and sends back small ArticleGraphs; the parent only reads, checks
hashes and writes. That scales better than spaCy's own `n_process`, which sends every
parsed Doc back to the parent and leaves the extraction there. Workers fork from a
clean server process (never from the flow's, which runs Prefect's threads), and this
module imports no Prefect, so that server starts in about a second.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.errors import WorkerDied
from flows.model import ArticleGraph, CleanArticle
from flows.ontology import Ontology, load_ontology
from flows.resolve import resolve

if TYPE_CHECKING:
    from flows.extract import Extractor
    from flows.settings import Settings

# Articles per chunk sent to a worker: large enough that pickling is noise, small enough
# that the last chunks keep every worker busy.
CHUNK = 32


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to `size` items, lazily (itertools.batched is Python 3.12+)."""
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk


@dataclass(frozen=True)
class ExtractConfig:
    """What a process needs to build the transform stages: plain and hashable, so it can
    be sent to a worker and used as a cache key."""

    spacy_model: str
    schema_dir: str
    relation_extractors: tuple[str, ...]
    models_dir: str
    batch_size: int = 32
    recognizer: str | None = None  # a fine-tuned `ner` directory, or the model's own
    min_confidence: float = 0.0  # of a relation to be written

    @classmethod
    def of(cls, settings: Settings) -> ExtractConfig:
        return cls(
            spacy_model=settings.spacy_model,
            schema_dir=str(settings.schema_dir),
            relation_extractors=tuple(settings.relation_extractors),
            models_dir=str(settings.models_dir),
            batch_size=settings.batch_size,
            recognizer=(
                str(settings.models_dir / "ner")
                if settings.entity_recognizer == "fine-tuned"
                else None
            ),
            min_confidence=settings.relation_min_confidence,
        )


def build_extractor(config: ExtractConfig) -> tuple[Extractor, Ontology]:
    """A spaCy pipeline with the configured relation extractors, and the ontology."""
    from flows.casing import LEXICON_FILE, CasingLexicon
    from flows.extract import Extractor, load_nlp
    from flows.relations import build_extractors

    ontology = load_ontology(Path(config.schema_dir))
    relations = build_extractors(config.relation_extractors, ontology, Path(config.models_dir))
    recognizer = Path(config.recognizer) if config.recognizer else None
    nlp = load_nlp(config.spacy_model, recognizer)
    casing = CasingLexicon.load(Path(config.models_dir) / "casing" / LEXICON_FILE)
    return Extractor(nlp, ontology, relations, casing, config.min_confidence), ontology


@cache
def worker_stages(config: ExtractConfig) -> tuple[Extractor, Ontology]:
    """This process's stages, built once."""
    return build_extractor(config)


def extract_chunk(articles: list[CleanArticle], config: ExtractConfig) -> list[ArticleGraph]:
    """Extract and resolve a chunk of articles, in whichever process this runs."""
    extractor, ontology = worker_stages(config)
    return [resolve(x, ontology) for x in extractor.run(articles, batch_size=config.batch_size)]


def extract_on_pool(
    cleaned: Iterable[CleanArticle],
    *,
    config: ExtractConfig,
    workers: int,
) -> Iterator[ArticleGraph]:
    """Resolved articles, in input order, from `workers` processes. The pool starts only
    when a first article arrives (an unchanged re-run never pays for it), and at most two
    chunks per worker are in flight, so memory stays bounded however long the input."""
    stream = iter(cleaned)
    first = next(stream, None)
    if first is None:
        return
    context = multiprocessing.get_context("forkserver")
    # spaCy is imported once, by the server the workers fork from; the flow's own
    # process never imports it (~50 MB and ~0.7 s saved in every command).
    context.set_forkserver_preload(["flows.extract", __name__])
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=worker_stages,  # each worker loads the model before its first chunk
        initargs=(config,),
    )
    pending: deque[Future[list[ArticleGraph]]] = deque()
    try:
        for chunk in batched(chain([first], stream), CHUNK):
            pending.append(pool.submit(extract_chunk, chunk, config))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        raise WorkerDied(
            "an extraction worker process died (killed, or out of memory); "
            "articles written so far are kept, and a re-run resumes"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
