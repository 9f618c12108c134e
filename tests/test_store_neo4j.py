"""The same load path against a live Neo4j 5. Runs only when NEO4J_URI is set."""

import os

import pytest

from flows.export import export_records
from flows.load import load_article
from flows.read import clean, make_article
from flows.resolve import resolve
from flows.settings import load_settings

pytestmark = pytest.mark.skipif(
    not os.environ.get("NEO4J_URI"),
    reason="NEO4J_URI is not set: no live Neo4j to test against (the Cypher is still "
    "checked by Neo4j's own linter in test_cypher_lint.py)",
)


@pytest.fixture
def neo4j_store():
    from flows.store.neo4j_store import Neo4jStore

    store = Neo4jStore(load_settings())
    store.reset()
    store.ensure_schema()
    yield store
    store.reset()
    store.close()


def test_load_is_idempotent_and_replaces_changed_articles(neo4j_store, extractor, ontology) -> None:
    def graph(text: str):
        article = make_article("a1", "a1", text)
        return resolve(next(extractor.run([clean(article, ontology.drop_lines)])), ontology)

    v1 = graph("Chinese President Xi Jinping will host South Korean President Lee Jae Myung.")
    load_article(neo4j_store, v1, ontology, "t1", exists=False)
    first = export_records(neo4j_store)
    load_article(neo4j_store, v1, ontology, "t1", exists=True)
    assert export_records(neo4j_store) == first
    load_article(neo4j_store, graph("Xi Jinping visited Tokyo."), ontology, "t2", exists=True)
    keys = {r["k"] for r in neo4j_store.read("MATCH (e:Entity) RETURN e.key AS k")}
    assert "person:lee-jae-myung" not in keys
    assert "location:tokyo" in keys


def test_reads_refuse_to_write(neo4j_store) -> None:
    from flows.errors import QueryError

    with pytest.raises(QueryError, match="--write"):
        neo4j_store.read("CREATE (:Article {id: 'x'})")
