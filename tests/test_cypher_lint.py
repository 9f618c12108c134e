"""Every statement the Neo4j store can send, checked by Neo4j's own Cypher linter
(@neo4j-cypher/language-support, offline under node) as Cypher 5."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from bench import raw_cypher
from flows import cypher, cypher_readings, user_cypher
from flows.settings import REPO_ROOT
from flows.store.schema import load_graph_schema, neo4j_ddl

LINT_DIR = REPO_ROOT / "tools" / "cypher-lint"


def lint(items: list[dict]) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (LINT_DIR / "node_modules").is_dir():
        pytest.fail("the Cypher linter is not installed: run `make test` (it runs npm ci)")
    done = subprocess.run(
        [node, "lint.mjs"],
        cwd=LINT_DIR,
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def every_statement(ontology) -> dict[str, str]:
    statements = {
        name: value
        for module in (cypher, cypher_readings)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and not name.startswith("_")
    }
    statements["delete_orphan_entities"] = cypher.delete_orphan_entities(ontology.types)
    statements["nodes_lacking_label"] = cypher.nodes_lacking_label("Person")
    for entity_type in (*ontology.types, None):
        statements[f"upsert_entities({entity_type})"] = cypher.upsert_entities(entity_type)
    for predicate in sorted(ontology.relation_types):
        statements[f"upsert_relationships({predicate})"] = cypher.upsert_relationships(predicate)
    statements["raw_articles"] = raw_cypher.RAW_ARTICLES
    statements["raw_entities"] = raw_cypher.raw_entities("Person")
    statements["raw_statements"] = raw_cypher.raw_statements("MEETS")
    for i, statement in enumerate(neo4j_ddl(load_graph_schema(REPO_ROOT / "schema"))):
        statements[f"schema[{i}]"] = statement
    for saved in user_cypher.saved_queries(REPO_ROOT / "schema" / "queries.cypher"):
        statements[f"queries.cypher:{saved.name}"] = saved.cypher
    return statements


def test_every_statement_passes_the_neo4j_linter(ontology) -> None:
    statements = every_statement(ontology)
    assert len(statements) >= 25
    items = [
        {"name": name, "query": query, "params": user_cypher.parameters_of(query)}
        for name, query in statements.items()
    ]
    problems = {
        result["name"]: [d["message"] for d in result["diagnostics"]]
        for result in lint(items)
        if result["diagnostics"]
    }
    assert problems == {}


def test_the_linter_catches_what_neo4j_5_rejects() -> None:
    results = lint(
        [
            {"name": "syntax", "query": "MATCH (n RETURN n", "params": []},
            {"name": "removed", "query": "MATCH (n) WHERE exists(n.x) RETURN n", "params": []},
            {"name": "undeclared", "query": "RETURN $missing", "params": []},
            {"name": "fine", "query": "RETURN $declared AS x", "params": ["declared"]},
        ]
    )
    flagged = {r["name"] for r in results if r["diagnostics"]}
    assert flagged == {"syntax", "removed", "undeclared"}
