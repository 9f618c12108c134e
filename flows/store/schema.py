"""The graph schema of schema/graph.yaml: which keys are unique and which properties are
indexed. Declared once; each store renders it in its own DDL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.errors import ConfigError
from flows.ontology import check_identifier


@dataclass(frozen=True)
class Key:
    label: str
    property: str

    @property
    def name(self) -> str:
        """The constraint or index name: `entity_key`."""
        return f"{self.label.lower()}_{self.property.lower()}"


@dataclass(frozen=True)
class GraphSchema:
    unique: tuple[Key, ...]
    indexes: tuple[Key, ...]


def load_graph_schema(schema_dir: Path) -> GraphSchema:
    path = schema_dir / "graph.yaml"
    try:
        declared = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return GraphSchema(
            *(
                tuple(
                    Key(check_identifier(item["label"]), check_identifier(item["property"]))
                    for item in declared.get(kind, [])
                )
                for kind in ("unique", "indexes")
            )
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"graph schema {path}: {type(exc).__name__}: {exc}") from None


def neo4j_ddl(schema: GraphSchema) -> list[str]:
    """Neo4j 5's statements for the schema; each is a no-op where it already holds."""
    return [
        f"CREATE CONSTRAINT {k.name} IF NOT EXISTS FOR (n:{k.label}) REQUIRE n.{k.property} "
        "IS UNIQUE"
        for k in schema.unique
    ] + [
        f"CREATE INDEX {k.name} IF NOT EXISTS FOR (n:{k.label}) ON (n.{k.property})"
        for k in schema.indexes
    ]
