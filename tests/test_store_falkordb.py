"""What only the embedded store does: it starts its own server under the data dir."""

from pathlib import Path

import pytest

from flows.errors import StoreStartError
from flows.settings import load_settings
from flows.store.falkordb_server import EmbeddedServer
from flows.store.falkordb_store import FalkorStore


def test_a_stopped_server_is_started_again_on_demand(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "kg")
    FalkorStore(settings).close()
    server = EmbeddedServer(settings.data_dir)
    first_pid = server.pid()
    server.stop()
    assert not server.is_running()
    try:
        FalkorStore(settings).close()
        assert server.pid() != first_pid
    finally:
        server.stop()


def test_a_data_dir_tells_whether_its_store_ever_ran(tmp_path: Path) -> None:
    # `kg ingest` skips its no-op check where the store never ran: nothing is stored.
    settings = load_settings(data_dir=tmp_path / "kg")
    server = EmbeddedServer(settings.data_dir)
    assert not server.ever_started()
    FalkorStore(settings).close()
    try:
        server.stop()
        assert server.ever_started()  # stopped, its data stays
    finally:
        server.stop()


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreStartError, match="cannot create or write"):
        FalkorStore(load_settings(data_dir=blocker / "kg"))


def test_a_loading_store_is_waited_for_not_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store that crashed replays its append-only file on start. However long that takes,
    the next command waits for it (saying so at most once) and never kills it; the limit is
    for a server that does not answer at all, here cut to 0.2 s."""
    import os
    import signal

    from flows.store import falkordb_server

    settings = load_settings(data_dir=tmp_path / "kg")
    store = FalkorStore(settings)
    # Every write on disk before the kill: with the store's `appendfsync everysec`, Redis
    # may put off writing the log while a slow fsync runs (a busy disk), so the last
    # acknowledged write can be lost to SIGKILL, which the flow's content hash, written
    # last, covers, but which would make this count short.
    store.db.connection.config_set("appendfsync", "always")
    # No compaction, and writes that take a while to replay: a long load.
    for start in range(0, 1_200_000, 2_000):
        store.write(
            "UNWIND range($start, $start + 1999) AS i CREATE (:Filler {i: i})", {"start": start}
        )
    store.close()
    server = EmbeddedServer(settings.data_dir)
    os.kill(server.pid(), signal.SIGKILL)
    while server.is_running():
        pass
    monkeypatch.setattr(falkordb_server, "START_TIMEOUT_S", 0.2)
    capsys.readouterr()
    try:
        again = FalkorStore(settings)
        loading_pid = server.pid()
        assert again.read("MATCH (f:Filler) RETURN count(f) AS n") == [{"n": 1_200_000}]
        again.close()
        assert server.pid() == loading_pid
        # Redis either refuses the connection while it replays (then the wait says so,
        # once) or holds the first PING until it is done: either way, never twice.
        said = capsys.readouterr().err.count("is loading its data; waiting")
        assert said <= 1
    finally:
        server.stop()


def test_a_stop_compacts_the_log_into_a_snapshot(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "kg")
    store = FalkorStore(settings)
    for i in range(200):
        store.write("CREATE (:Article {id: $id})", {"id": str(i)})
    store.close()
    server = EmbeddedServer(settings.data_dir)
    server.stop()
    # Redis 7's multi-part append-only file: after the rewrite, a snapshot (the base, with
    # its RDB preamble) and an increment with nothing left to replay.
    aof = settings.data_dir / "appendonlydir"
    bases = list(aof.glob("*.base.rdb"))
    assert len(bases) == 1
    assert all(p.stat().st_size == 0 for p in aof.glob("*.incr.aof"))
    try:
        again = FalkorStore(settings)
        assert again.read("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 200}]
        again.close()
    finally:
        server.stop()


def test_a_healthy_store_logs_no_errors_through_schema_writes_and_a_crash(
    tmp_path: Path,
) -> None:
    """Creating the schema again is a no-op: before, each load re-sent GRAPH.CONSTRAINT,
    which failed ("Constraint already exists"), and a restart replaying the append-only
    file logged every failure as `== CRITICAL ==`."""
    import os
    import signal

    settings = load_settings(data_dir=tmp_path / "kg")
    store = FalkorStore(settings)
    for _ in range(3):
        store.ensure_schema()
    store.write("CREATE (:Article {id: 'a'})")
    store.close()
    server = EmbeddedServer(settings.data_dir)
    os.kill(server.pid(), signal.SIGKILL)  # no compaction: the restart replays every command
    while server.is_running():
        pass
    try:
        again = FalkorStore(settings)
        again.ensure_schema()
        assert again.read("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 1}]
        again.close()
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace").lower()
    assert "loaded from append only file" in log or "aof loaded" in log or "done loading" in log
    assert "critical" not in log
    assert "error" not in log


def test_two_runs_creating_the_schema_at_once_both_succeed(tmp_path: Path) -> None:
    """Two first runs of one data dir create the schema at the same moment: without the
    unit lock round it, the second CREATE INDEX fails ("already indexed")."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    settings = load_settings(data_dir=tmp_path / "kg")
    stores = [FalkorStore(settings) for _ in range(4)]
    start = Barrier(len(stores))

    def create(store: FalkorStore) -> None:
        start.wait()
        store.ensure_schema()

    try:
        with ThreadPoolExecutor(len(stores)) as pool:
            for done in [pool.submit(create, store) for store in stores]:
                done.result()  # raises the QueryError a losing run would print
        indexed = {(r[0], prop) for r in stores[0]._index_rows() for prop in r[1]}
        assert {("Article", "id"), ("Entity", "key"), ("Statement", "id")} <= indexed
    finally:
        for store in stores:
            store.close()
        EmbeddedServer(settings.data_dir).stop()
