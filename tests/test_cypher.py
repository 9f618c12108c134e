"""The Cypher module: exact builder output, identifier checks, schema and saved queries."""

import pytest

from flows import cypher, user_cypher
from flows.errors import ConfigError
from flows.ontology import check_identifier
from flows.settings import REPO_ROOT
from flows.store.schema import Key, load_graph_schema, neo4j_ddl


def test_upsert_entities_text_is_pinned() -> None:
    assert cypher.upsert_entities("Person") == (
        "UNWIND $rows AS row\n"
        "MERGE (e:Entity {key: row.key})\n"
        "ON CREATE SET e.name = row.name, e.type = row.type, e.short = row.short\n"
        "SET e:Person\n"
        "WITH e, row\n"
        "MATCH (a:Article {id: row.article})\n"
        "MERGE (e)-[m:MENTIONED_IN]->(a)\n"
        "SET m.count = row.count, m.forms = row.forms, m.name = row.name,\n"
        "    m.read_as = row.read_as, m.lone = row.lone, m.full = row.full, m.link = row.link,\n"
        "    m.called = row.called,\n"
        "    m.context = row.context"
    )
    # A type outside the ontology: the same rows, and no label at all.
    assert cypher.upsert_entities(None) == cypher.upsert_entities("Person").replace(
        "\nSET e:Person", ""
    )


def test_a_deleted_entity_loses_every_label_of_the_ontology_first() -> None:
    # FalkorDB 4.16 let a new node that took a deleted node's id match its labels.
    assert cypher.delete_orphan_entities(("Person", "Location", "Organization")) == (
        "UNWIND $keys AS key\n"
        "MATCH (e:Entity {key: key})\n"
        "WHERE NOT (e)-[:MENTIONED_IN]->(:Article)\n"
        "REMOVE e:Entity:Location:Organization:Person\n"
        "DETACH DELETE e"
    )
    with pytest.raises(ConfigError):
        cypher.delete_orphan_entities(["Person) DETACH DELETE (n"])


def test_upsert_relationships_text_is_pinned() -> None:
    assert cypher.upsert_relationships("MEETS") == (
        "UNWIND $rows AS row\n"
        "MATCH (s:Entity {key: row.subject})\n"
        "MATCH (o:Entity {key: row.object})\n"
        "MERGE (s)-[r:MEETS]->(o)\n"
        "SET r.articles = coalesce(r.articles, []) +\n"
        "    [article IN row.articles WHERE NOT article IN coalesce(r.articles, [])],\n"
        "    r.confidence = CASE WHEN coalesce(r.confidence, 0.0) > row.confidence\n"
        "                        THEN r.confidence ELSE row.confidence END"
    )


@pytest.mark.parametrize(
    "bad", ["Person`) DETACH DELETE n //", "has space", "1Leading", "", "Per-son", "a{b}"]
)
def test_builders_refuse_anything_but_plain_identifiers(bad: str) -> None:
    with pytest.raises(ConfigError):
        check_identifier(bad)
    with pytest.raises(ConfigError):
        cypher.upsert_entities(bad)
    with pytest.raises(ConfigError):
        cypher.upsert_relationships(bad)


def test_the_schema_is_declared_once_and_rendered_for_neo4j() -> None:
    schema = load_graph_schema(REPO_ROOT / "schema")
    assert Key("Entity", "key") in schema.unique
    assert Key("Entity", "name") in schema.indexes
    assert (
        "CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE"
        in neo4j_ddl(schema)
    )


def test_a_schema_label_must_be_a_plain_identifier(tmp_path) -> None:
    (tmp_path / "graph.yaml").write_text("unique: [{label: 'A`) DELETE n //', property: id}]")
    with pytest.raises(ConfigError):
        load_graph_schema(tmp_path)


def test_saved_queries_have_names_and_descriptions() -> None:
    saved = user_cypher.saved_queries(REPO_ROOT / "schema" / "queries.cypher")
    assert len(saved) >= 10
    assert saved[0].name == "who-met-whom"
    assert all(q.description and q.cypher.startswith("MATCH") for q in saved)
    assert len({q.name for q in saved}) == len(saved)


def test_parameters_are_found() -> None:
    assert user_cypher.parameters_of(cypher.FINISH_ARTICLES) == ["ingested_at", "rows"]
    assert user_cypher.parameters_of(cypher.upsert_relationships("MEETS")) == ["rows"]
