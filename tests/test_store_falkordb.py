"""What only the embedded store does: it starts its own server under the data dir."""

from pathlib import Path

import pytest

from flows.errors import StoreStartError
from flows.settings import load_settings
from flows.store.falkordb_store import EmbeddedServer, FalkorStore


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


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreStartError, match="cannot create or write"):
        FalkorStore(load_settings(data_dir=blocker / "kg"))
