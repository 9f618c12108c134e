"""What a document or a query can do to the graph: documents only add data, never labels or
relationship types; `kg query` only reads unless --write is given, however it is written."""

from __future__ import annotations

import json

import pytest

from flows.clean import clean
from flows.export import export_records
from flows.extract import Extractor
from flows.load import load_article
from flows.model import ArticleGraph, Entity, Statement
from flows.ontology import Ontology, check_identifier
from flows.read import make_article
from flows.resolve import resolve
from flows.store.neo4j_store import LOCK_LABEL

# The store's own: the lock Neo4j units of work take (no node ever has it).
STRUCTURAL_LABELS = {"Article", "Entity", "Statement", "IngestRun", LOCK_LABEL}
STRUCTURAL_TYPES = {"MENTIONED_IN", "SUBJECT", "OBJECT", "EXTRACTED_FROM", "INGESTED"}
NOW = "2026-01-01T00:00:00+00:00"

HOSTILE_TEXT = (
    "Chief executive John Evil`:Hacked met President Joe Biden in Washington.\n"
    "Lee Jae Myung met :Hacked]->(x) Johnson in Seoul.\n"
    "Mr. Bobby `Tables` O'Hara, a spokesman for Acme{Corp} Inc, told Reuters that Xi Jinping "
    "met him.\n"
)


def schema_of(store) -> tuple[set[str], set[str]]:
    labels = {row["label"] for row in store.read("CALL db.labels()")}
    types = {row["relationshipType"] for row in store.read("CALL db.relationshipTypes()")}
    return labels, types


def test_a_document_cannot_add_a_label_or_relationship_type(
    store, extractor: Extractor, ontology: Ontology
) -> None:
    article = make_article("evil`:Hacked.txt", "evil`:Hacked.txt", HOSTILE_TEXT)
    graph = resolve(next(extractor.run([clean(article, ontology.drop_lines)])), ontology)
    names = {e.name for e in graph.entities}
    # The hostile names really are extracted, so they really reach the store.
    assert {"John Evil`:Hacked", "Hacked]->(x", "Acme{Corp} Inc"} <= names, names
    load_article(store, graph, ontology, NOW)

    # And if extraction itself were fooled: a type and a predicate written as Cypher.
    evil_type, evil_predicate = "Person`) DETACH DELETE n //", "PWNED]->(x) DETACH DELETE x //"
    forged = make_article("forged", "forged", "A met B.")
    entities = (
        Entity("person:a", "A", evil_type, 1, ("A",)),
        Entity("person:b", "B", "Person", 1, ("B",)),
    )
    statement = Statement(
        "st-1", "person:a", evil_predicate, "person:b", "A met B.", 0, 8, 1.0, "x", "1"
    )
    load_article(
        store,
        ArticleGraph(forged, entities, (statement,), graph.provenance),
        ontology,
        NOW,
    )

    labels, types = schema_of(store)
    assert labels <= set(ontology.types) | STRUCTURAL_LABELS, labels
    assert types <= set(ontology.relation_types) | STRUCTURAL_TYPES, types
    assert {"Person", "MEETS"} <= labels | types  # the check saw a populated graph

    # What the document said is stored as data, exactly as written.
    stored = store.read("MATCH (e:Entity) RETURN e.name AS name, e.key AS key, e.type AS type")
    assert {"name": "John Evil`:Hacked", "key": "person:john-evil`:hacked", "type": "Person"} in (
        stored
    )
    assert {"name": "A", "key": "person:a", "type": evil_type} in stored
    assert store.read(
        "MATCH (s:Statement {id: 'st-1'})-[:SUBJECT]->(a:Entity) "
        "OPTIONAL MATCH (a)-[r]->(:Entity {key: 'person:b'}) "
        "RETURN s.predicate AS predicate, count(r) AS edges"
    ) == [{"predicate": evil_predicate, "edges": 0}]
    assert store.read("MATCH (n) WHERE n.key IS NULL AND n.id IS NULL RETURN n") == []


def test_every_ontology_name_is_a_plain_identifier(ontology: Ontology) -> None:
    # Refusals ("Person`) DETACH DELETE n //", "", "1Leading", "Per-son") are in test_cypher.
    names = [*ontology.types, *ontology.relation_types, *STRUCTURAL_LABELS, *STRUCTURAL_TYPES]
    assert all(check_identifier(name) == name for name in names)


WRITES = "the query writes to the graph; pass --write to allow it"
READS_FILES = (
    "the query reads files or URLs (LOAD CSV), which kg query runs only with --write; "
    "the embedded store reads files from the import/ folder of its data dir"
)
REFUSED = [
    ("CREATE (:Article {id: 'x'})", WRITES),
    ("create (n:Hacked) return n", WRITES),
    ("MERGE (a:Article {id: 'seed'}) ON MATCH SET a.title = 'pwned'", WRITES),
    ("MATCH (a:Article) SET a.title = 'pwned'", WRITES),
    ("MATCH (a:Article) SET a:Hacked", WRITES),
    ("MATCH (a:Article) REMOVE a.title", WRITES),
    ("MATCH (e:Entity) REMOVE e:Person", WRITES),
    ("MATCH (n) DETACH DELETE n", WRITES),
    ("match (n) with n /* harmless */ detach delete n", WRITES),
    ("MATCH (n) WITH n // just reading\nDETACH DELETE n", WRITES),
    ("MATCH ()-[r]->() DELETE r", WRITES),
    ("MATCH (n) WHERE n.title <> 'DELETE' FOREACH (x IN [1] | SET n.pwned = true)", WRITES),
    ("MATCH (a:Article) WITH a MERGE (a)-[:HACKED]->(:Pwned)", WRITES),
    ("CREATE INDEX FOR (n:Article) ON (n.title)", WRITES),
    # Each store's own way to build a full-text index: a schema write.
    (
        {
            "embedded": "CALL db.idx.fulltext.createNodeIndex('Article', 'title')",
            "neo4j": "CREATE FULLTEXT INDEX titles FOR (a:Article) ON EACH [a.title]",
        },
        WRITES,
    ),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", READS_FILES),
    ("load /* x */ csv with headers from 'https://example.org/a.csv' as r return r", READS_FILES),
    (
        "RETURN 'x' AS y // LOAD CSV is in a comment here\nUNION LOAD CSV FROM 'f' AS y RETURN y",
        READS_FILES,
    ),
]
ALLOWED = [
    ("RETURN 'delete me' AS x", [{"x": "delete me"}]),
    (
        "RETURN \"DETACH DELETE n\" AS x, 'LOAD CSV' AS y // CREATE (:X)",
        [{"x": "DETACH DELETE n", "y": "LOAD CSV"}],
    ),
    ("MATCH (a:Article) WHERE a.title <> 'MERGE (x)' RETURN a.id AS id", [{"id": "seed"}]),
    ("MATCH (a:Article) /* SET a.title = 'x' */ RETURN a.title AS `SET`", [{"SET": "Seed"}]),
]


@pytest.mark.parametrize(("cypher", "message"), REFUSED)
def test_query_refuses_to_write_without_write_flag(
    run_kg_on_store, store, cypher: str | dict[str, str], message: str
) -> None:
    if isinstance(cypher, dict):
        cypher = cypher[store.name]
    store.write(
        "CREATE (:Article {id: 'seed', title: 'Seed'})<-[:MENTIONED_IN {count: 1}]-"
        "(:Entity:Person {key: 'person:x', name: 'X', type: 'Person'})"
    )
    before, schema = export_records(store), schema_of(store)
    refused = run_kg_on_store("query", cypher)
    assert refused.returncode == 1, refused.stdout
    assert refused.stderr.splitlines() == [f"kg: error: {message}"]
    assert refused.stdout == ""
    assert export_records(store) == before
    assert schema_of(store) == schema


def test_query_reads_that_only_mention_write_words_are_allowed(run_kg_on_store, store) -> None:
    store.write("CREATE (:Article {id: 'seed', title: 'Seed'})")
    for cypher, rows in ALLOWED:
        allowed = run_kg_on_store("query", cypher, "--json")
        assert allowed.returncode == 0, (cypher, allowed.stderr)
        assert json.loads(allowed.stdout) == rows, cypher
    written = run_kg_on_store(
        "query",
        "MATCH (a:Article {id: 'seed'}) SET a.title = 'Changed' RETURN a.title AS title",
        "--write",
        "--json",
    )
    assert written.returncode == 0, written.stderr
    assert store.read("MATCH (a:Article) RETURN a.title AS t") == [{"t": "Changed"}]
