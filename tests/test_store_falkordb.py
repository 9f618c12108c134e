"""The embedded store, as a real server: constraints, read-only guard, persistence."""

from pathlib import Path

import pytest

from flows import cypher
from flows.errors import QueryError, StoreStartError
from flows.settings import load_settings
from flows.store.falkordb_store import EmbeddedServer, FalkorStore


def test_uniqueness_is_enforced(store) -> None:
    store.write("CREATE (:Article {id: $id})", {"id": "x"})
    with pytest.raises(QueryError, match="unique"):
        store.write("CREATE (:Article {id: $id})", {"id": "x"})
    assert store.read(cypher.COUNT_ARTICLES)[0]["n"] == 1


def test_reads_refuse_to_write(store) -> None:
    with pytest.raises(QueryError, match="--write"):
        store.read("CREATE (:Article {id: 'sneaky'})")
    assert store.read(cypher.COUNT_NODES)[0]["n"] == 0


def test_nodes_and_relationships_come_back_as_plain_data(store) -> None:
    store.write(
        "CREATE (:Entity:Person {key: 'k', name: 'N'})"
        "-[:MEETS {articles: ['a']}]->(:Entity {key: 'j'})"
    )
    row = store.read("MATCH (a)-[r]->(b) RETURN a, r, b")[0]
    assert row["a"] == {
        "id": row["a"]["id"],
        "labels": ["Entity", "Person"],
        "properties": {"key": "k", "name": "N"},
    }
    assert row["r"] == {
        "id": row["r"]["id"],
        "type": "MEETS",
        "start": row["a"]["id"],
        "end": row["b"]["id"],
        "properties": {"articles": ["a"]},
    }


def test_data_survives_a_server_restart(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "kg")
    store = FalkorStore(settings)
    store.ensure_schema()
    store.write("CREATE (:Article {id: $id, title: $t})", {"id": "kept", "t": 'It\'s "kept"'})
    store.close()
    server = EmbeddedServer(settings.data_dir)
    first_pid = server.pid()
    server.stop()
    assert not server.is_running()
    try:
        again = FalkorStore(settings)
        assert server.pid() != first_pid
        assert again.read("MATCH (a:Article) RETURN a.title AS t") == [{"t": 'It\'s "kept"'}]
        again.close()
    finally:
        server.stop()


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreStartError, match="cannot create or write"):
        FalkorStore(load_settings(data_dir=blocker / "kg"))
