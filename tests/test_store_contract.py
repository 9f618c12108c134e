"""What every graph store must do, run against each real store (the `store` fixture is
parametrized over the embedded FalkorDB and a local Neo4j 5): constraints, the read-only
guard, one plain shape for values, data kept across a restart, and a failed unit of work
that leaves nothing of itself behind where the store has transactions."""

from __future__ import annotations

import pytest

from flows import cypher
from flows.clean import clean
from flows.errors import QueryError
from flows.load import stored_hashes, write_steps
from flows.read import make_article
from flows.resolve import resolve
from flows.store import open_store
from flows.store.falkordb_store import EmbeddedServer


def test_uniqueness_is_enforced(store) -> None:
    store.write("CREATE (:Article {id: $id})", {"id": "x"})
    with pytest.raises(QueryError, match="unique constraint"):
        store.write("CREATE (:Article {id: $id})", {"id": "x"})
    assert store.read(cypher.COUNT_ARTICLES)[0]["n"] == 1


def test_reads_refuse_to_write(store) -> None:
    with pytest.raises(QueryError, match="--write"):
        store.read("CREATE (:Article {id: 'sneaky'})")
    assert store.read(cypher.COUNT_NODES)[0]["n"] == 0


def test_nodes_and_relationships_come_back_as_plain_data(store) -> None:
    store.write(
        "CREATE (:Person:Entity {key: 'k', name: 'N', forms: ['N', 'n']})"
        "-[:MEETS {articles: ['a']}]->(:Entity {key: 'j'})"
    )
    row = store.read("MATCH (a)-[r]->(b) RETURN a, r, b")[0]
    assert row["a"] == {
        "id": row["a"]["id"],
        "labels": ["Entity", "Person"],
        "properties": {"key": "k", "name": "N", "forms": ["N", "n"]},
    }
    assert row["r"] == {
        "id": row["r"]["id"],
        "type": "MEETS",
        "start": row["a"]["id"],
        "end": row["b"]["id"],
        "properties": {"articles": ["a"]},
    }


def test_schema_is_created_once(store) -> None:
    """Creating the schema on a store that has it changes nothing and raises nothing."""
    store.ensure_schema()
    store.ensure_schema()
    store.write("CREATE (:Entity {key: $k})", {"k": "k"})
    with pytest.raises(QueryError, match="unique constraint"):
        store.write("CREATE (:Entity {key: $k})", {"k": "k"})


def test_data_survives_a_server_restart(store, store_settings, request) -> None:
    store.write("CREATE (:Article {id: $id, title: $t})", {"id": "kept", "t": 'It\'s "kept"'})
    store.close()
    if store.name == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        server.stop()
        server.start()
    else:
        EmbeddedServer(store_settings.data_dir).stop()
    again = open_store(store_settings)
    try:
        assert again.read("MATCH (a:Article) RETURN a.title AS t") == [{"t": 'It\'s "kept"'}]
    finally:
        again.close()


def test_a_unit_of_work_that_fails_leaves_the_graph_readable_as_unfinished(
    store, extractor, ontology
) -> None:
    """A batch whose last statement fails: with transactions nothing of it is written;
    without, its content hash (written last) is missing, so the next run redoes it."""
    text = "Chinese President Xi Jinping will host South Korean President Lee Jae Myung."
    article = make_article("a1", "a1", text)
    graph = resolve(next(extractor.run([clean(article, ontology.drop_lines)])), ontology)
    steps = write_steps([graph], ontology, "t1")
    assert steps[-1][0] == cypher.FINISH_ARTICLES
    broken = [*steps[:-1], ("UNWIND [1, 0] AS x RETURN 1 / x", {}), steps[-1]]
    with pytest.raises(QueryError):
        store.write_unit(broken)
    if store.capabilities.transactions:
        assert store.read(cypher.COUNT_NODES)[0]["n"] == 0
    else:
        assert store.read(cypher.COUNT_NODES)[0]["n"] > 0
        assert stored_hashes(store, ["a1"]) == {"a1": None}
