"""The transform one process runs on a chunk of articles: spaCy, the relation
extractors and resolution, built once per process from a plain, picklable config.

Every extraction backend (flows/backends.py) calls `extract_chunk`, in the flow's own
process or in a worker. This module imports no Prefect and no spaCy at import time: the
flow's own process imports it without paying for them, and the server that worker
processes fork from builds the stages once (flows/preload.py) for them all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    relation_model: str | None = None  # the trained relation model's directory, if not
    # models_dir/relations (a fold's model, for held-out scores: flows/training/folds.py)
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
    from flows.usage import LEXICON_FILE as USAGE_FILE
    from flows.usage import UsageLexicon

    ontology = load_ontology(Path(config.schema_dir))
    relations_dir = Path(config.relation_model or Path(config.models_dir) / "relations")
    relations = build_extractors(config.relation_extractors, ontology, relations_dir)
    recognizer = Path(config.recognizer) if config.recognizer else None
    nlp = load_nlp(config.spacy_model, recognizer)
    casing = CasingLexicon.load(Path(config.models_dir) / "casing" / LEXICON_FILE)
    usage = UsageLexicon.load(Path(config.models_dir) / "usage" / USAGE_FILE)
    extractor = Extractor(nlp, ontology, relations, casing, config.min_confidence, usage)
    return extractor, ontology


# Names the config whose stages flows/preload.py builds in the workers' server process.
PRELOAD_ENV = "KG_PRELOAD_STAGES"


@contextmanager
def preload_config(config: ExtractConfig) -> Iterator[None]:
    """`config`, in this process's environment for the block: a server process started
    in it builds that config's stages as it starts."""
    before = os.environ.get(PRELOAD_ENV)
    os.environ[PRELOAD_ENV] = json.dumps(asdict(config))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PRELOAD_ENV, None)
        else:
            os.environ[PRELOAD_ENV] = before


def preloaded_config() -> ExtractConfig | None:
    """The config preload_config() put in this process's environment, if any."""
    raw = os.environ.get(PRELOAD_ENV)
    if not raw:
        return None
    fields = json.loads(raw)
    return ExtractConfig(**{**fields, "relation_extractors": tuple(fields["relation_extractors"])})


@cache
def worker_stages(config: ExtractConfig) -> tuple[Extractor, Ontology]:
    """This process's stages, built once."""
    return build_extractor(config)


def extract_chunk(articles: list[CleanArticle], config: ExtractConfig) -> list[ArticleGraph]:
    """Extract and resolve a chunk of articles, in whichever process this runs."""
    extractor, ontology = worker_stages(config)
    return [resolve(x, ontology) for x in extractor.run(articles, batch_size=config.batch_size)]
