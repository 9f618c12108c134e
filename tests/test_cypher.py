"""The Cypher module: exact builder output, identifier checks, schema and saved queries."""

import pytest

from flows import cypher
from flows.errors import ConfigError
from flows.ontology import check_identifier
from flows.settings import REPO_ROOT


def test_upsert_entities_text_is_pinned() -> None:
    assert cypher.upsert_entities(["Person", "Location"]) == (
        "UNWIND $rows AS row\n"
        "MERGE (e:Entity {key: row.key})\n"
        "ON CREATE SET e.name = row.name, e.type = row.type\n"
        "FOREACH (_ IN CASE WHEN row.type = 'Location' THEN [1] ELSE [] END |\n"
        "  SET e:Location)\n"
        "FOREACH (_ IN CASE WHEN row.type = 'Person' THEN [1] ELSE [] END |\n"
        "  SET e:Person)\n"
        "WITH e, row\n"
        "MATCH (a:Article {id: $article})\n"
        "MERGE (e)-[m:MENTIONED_IN]->(a)\n"
        "SET m.count = row.count, m.forms = row.forms, m.name = row.name"
    )


def test_upsert_statements_text_is_pinned() -> None:
    assert cypher.upsert_statements(["MEETS"]) == (
        "UNWIND $rows AS row\n"
        "MATCH (s:Entity {key: row.subject})\n"
        "MATCH (o:Entity {key: row.object})\n"
        "MATCH (a:Article {id: $article})\n"
        "MERGE (st:Statement {id: row.id})\n"
        "SET st.predicate = row.predicate, st.role = row.role, st.sentence = row.sentence,\n"
        "    st.sentence_start = row.start, st.sentence_end = row.end,\n"
        "    st.confidence = row.confidence, st.pattern = row.pattern, st.article = $article,\n"
        "    st.model = $model, st.model_version = $model_version,\n"
        "    st.patterns_version = $patterns_version\n"
        "MERGE (st)-[:SUBJECT]->(s)\n"
        "MERGE (st)-[:OBJECT]->(o)\n"
        "MERGE (st)-[:EXTRACTED_FROM]->(a)\n"
        "FOREACH (_ IN CASE WHEN row.predicate = 'MEETS' THEN [1] ELSE [] END |\n"
        "  MERGE (s)-[r:MEETS]->(o)\n"
        "  SET r.articles = CASE WHEN $article IN coalesce(r.articles, []) "
        "THEN r.articles ELSE coalesce(r.articles, []) + $article END)"
    )


@pytest.mark.parametrize(
    "bad", ["Person`) DETACH DELETE n //", "has space", "1Leading", "", "Per-son", "a{b}"]
)
def test_builders_refuse_anything_but_plain_identifiers(bad: str) -> None:
    with pytest.raises(ConfigError):
        check_identifier(bad)
    with pytest.raises(ConfigError):
        cypher.upsert_entities([bad])
    with pytest.raises(ConfigError):
        cypher.upsert_statements([bad])


def test_schema_statements_come_from_the_cypher_files() -> None:
    statements = cypher.schema_statements(REPO_ROOT / "schema")
    assert (
        "CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE e.key IS UNIQUE"
        in statements
    )
    assert all("//" not in s for s in statements)
    assert not any("MATCH" in s for s in statements), "saved queries are not schema"


def test_saved_queries_have_names_and_descriptions() -> None:
    saved = cypher.saved_queries(REPO_ROOT / "schema" / "queries.cypher")
    assert len(saved) >= 10
    assert saved[0].name == "who-met-whom"
    assert all(q.description and q.cypher.startswith("MATCH") for q in saved)
    assert len({q.name for q in saved}) == len(saved)


def test_parameters_are_found() -> None:
    assert cypher.parameters_of(cypher.FINISH_ARTICLE) == [
        "content_hash",
        "feed",
        "fetched_at",
        "id",
        "ingested_at",
        "published_at",
        "source",
        "title",
        "url",
    ]
