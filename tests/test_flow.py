"""The whole flow, in-process under a real Prefect API, on the seed articles."""

import json
import shutil
from pathlib import Path

import pytest

from flows.export import export_records
from flows.flow import ingest_flow, retry_if_transient
from flows.names import normalize_name
from flows.store.falkordb_store import FalkorStore

from .conftest import SEEDS, unanswered_questions


@pytest.fixture
def seed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds"


def run(settings, *paths: Path):
    return ingest_flow(
        paths=[str(p) for p in paths],
        data_dir=str(settings.data_dir),
        config=None,
    )


@pytest.fixture
def flow_settings(settings, monkeypatch: pytest.MonkeyPatch, prefect_api):
    monkeypatch.setenv("KG_GRAPH", settings.graph_name)
    return settings


def entity(store: FalkorStore, key: str) -> dict | None:
    rows = store.read(
        "MATCH (e:Entity {key: $key})-[:MENTIONED_IN]->(a:Article) "
        "RETURN e.name AS name, e.type AS type, e.aliases AS aliases, collect(a.id) AS articles",
        {"key": key},
    )
    return rows[0] if rows else None


def edge_articles(store: FalkorStore, subject: str, rel: str, obj: str) -> list[str]:
    rows = store.read(
        f"MATCH (:Entity {{key: $s}})-[r:{rel}]->(:Entity {{key: $o}}) RETURN r.articles AS a",
        {"s": subject, "o": obj},
    )
    return sorted(rows[0]["a"]) if rows else []


def test_seeds_become_one_graph_and_a_rerun_changes_nothing(
    seed_graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, summary, work = seed_graph
    seed_copy = work / "seeds"
    a, b = "seeds/000_bfbc84f6cc0ee720.txt", "seeds/001_dfced0b2e5d50451.txt"
    assert sorted(summary.new) == [a, b]
    assert summary.rejected == []
    store = FalkorStore(settings)
    try:
        # Every entity has provenance; there are enough of them.
        counts = store.read(
            "MATCH (e:Entity) OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(:Article) "
            "RETURN e.name AS name, count(m) AS mentions"
        )
        assert len(counts) >= 25
        assert all(row["mentions"] >= 1 for row in counts), counts
        names = [row["name"] for row in counts]
        # No possessive, "the ...", truncated or boilerplate node.
        assert all(normalize_name(n) == n for n in names), names
        for junk in ["Qatar Launches", "North", "Kang Jun", "Shin Beom", "Sung", "Lee", "Xi"]:
            assert junk not in names
        # People, places and organizations in both articles are one node each.
        both = sorted([a, b])
        for key in [
            "person:xi-jinping",
            "person:lee-jae-myung",
            "person:kang-jun-young",
            "person:shin-beom-chul",
            "person:sanae-takaichi",
            "person:yoon-suk-yeol",
            "location:south-korea",
            "location:united-states",
            "organization:sejong-institute",
            "organization:hankuk-university-of-foreign-studies",
        ]:
            found = entity(store, key)
            assert found is not None, key
            assert sorted(found["articles"]) == both, key
        assert set(entity(store, "location:united-states")["aliases"]) >= {"U.S.", "US"}
        assert entity(store, "organization:nvidia")["type"] == "Organization"
        # The people connect to countries, organizations and counterparts, as written.
        assert edge_articles(store, "person:xi-jinping", "MEETS", "person:lee-jae-myung") == both
        assert edge_articles(store, "person:xi-jinping", "HOLDS_POSITION", "location:china") == both
        assert edge_articles(
            store, "person:lee-jae-myung", "HOLDS_POSITION", "location:south-korea"
        )
        assert (
            edge_articles(
                store,
                "person:kang-jun-young",
                "WORKS_FOR",
                "organization:hankuk-university-of-foreign-studies",
            )
            == both
        )
        assert edge_articles(
            store, "person:shin-beom-chul", "WORKS_FOR", "organization:sejong-institute"
        )
        # The recognizer misses "Wi Sung lac" (a romanized name with a lower-case syllable);
        # the appositive "Lee's national security adviser" says it is a person's.
        assert edge_articles(store, "person:wi-sung-lac", "ADVISES", "person:lee-jae-myung")
        # "South Korean Industry Minister Kim Jung-kwan": the model runs the nationality
        # into the title; cut back, the title and the country are found.
        assert edge_articles(
            store, "person:kim-jung-kwan", "HOLDS_POSITION", "location:south-korea"
        )
        assert (
            edge_articles(store, "person:sanae-takaichi", "HOLDS_POSITION", "location:japan")
            == both
        )
        assert edge_articles(store, "person:kim-jong-un", "HOLDS_POSITION", "location:north-korea")
        assert edge_articles(store, "person:kang-jun-young", "SPOKE_TO", "organization:reuters")
        # "Huawei plans ..., said CEO Balian Wang": a titled speaker of the organization
        # that is the subject of what was said.
        assert edge_articles(store, "person:balian-wang", "WORKS_FOR", "organization:huawei")
        # One node per place: "Seoul", also read as a person and an organization, and
        # "Korea" are places only; "China-Japan" (a modifier) is no node.
        for name in ["Seoul", "Korea"]:
            rows = store.read(
                "MATCH (e:Entity {name: $name}) RETURN e.type AS type", {"name": name}
            )
            assert [r["type"] for r in rows] == ["Location"], name
        assert "China-Japan" not in names
        assert edge_articles(
            store, "person:xavier-brunson", "WORKS_FOR", "organization:us-forces-korea"
        )
        # Each connection is traceable to its article and sentence.
        texts = {p: (seed_copy.parent / p).read_text(encoding="utf-8") for p in both}
        evidence = store.read(
            "MATCH (st:Statement)-[:EXTRACTED_FROM]->(a:Article) "
            "RETURN a.id AS article, st.sentence AS sentence, st.sentence_start AS start, "
            "st.sentence_end AS end"
        )
        assert len(evidence) >= 10
        for row in evidence:
            assert texts[row["article"]][row["start"] : row["end"]] == row["sentence"]

        before = export_records(store)
        monkeypatch.chdir(work)
        monkeypatch.setenv("KG_GRAPH", settings.graph_name)
        again = run(settings, seed_copy)
        assert (again.new, again.changed, sorted(again.unchanged)) == ([], [], both)
        assert export_records(store) == before
    finally:
        store.close()


def test_a_changed_file_is_replaced_and_bad_files_do_not_stop_the_run(
    flow_settings, seed_copy
) -> None:
    run(flow_settings, seed_copy)
    changed = seed_copy / "001_dfced0b2e5d50451.txt"
    changed.write_text("Wi Sung lac met Yoon Suk Yeol in Busan on Friday.\n", encoding="utf-8")
    (seed_copy / "empty.txt").write_text("   \n")
    (seed_copy / "binary.txt").write_bytes(b"\x00\x01\x02 data")
    (seed_copy / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    summary = run(flow_settings, seed_copy, seed_copy / "missing.txt")
    assert summary.changed == ["seeds/001_dfced0b2e5d50451.txt"]
    assert summary.unchanged == ["seeds/000_bfbc84f6cc0ee720.txt"]
    reasons = sorted(str(r) for r in summary.rejected)
    assert reasons == [
        "seeds/binary.txt: binary file (contains NUL bytes)",
        "seeds/empty.txt: empty or whitespace-only file",
        "seeds/latin1.txt: not valid UTF-8 (byte 0xe9 at offset 3)",
        "seeds/missing.txt: no such file or directory",
    ]
    store = FalkorStore(flow_settings)
    try:
        assert entity(store, "location:busan")["articles"] == ["seeds/001_dfced0b2e5d50451.txt"]
        # Facts only the old version had are gone; shared ones lost that article.
        assert entity(store, "person:kang-jun-young")["articles"] == [
            "seeds/000_bfbc84f6cc0ee720.txt"
        ]
        assert (
            edge_articles(store, "person:kang-jun-young", "SPOKE_TO", "organization:reuters") == []
        )
        old = store.read(
            "MATCH (st:Statement)-[:EXTRACTED_FROM]->(:Article {id: $id}) RETURN st.sentence AS s",
            {"id": "seeds/001_dfced0b2e5d50451.txt"},
        )
        assert all("Busan" in row["s"] for row in old)
        assert store.read("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 2
    finally:
        store.close()


def test_prune_removes_articles_whose_files_are_gone(flow_settings, seed_copy) -> None:
    gone, kept = "seeds/001_dfced0b2e5d50451.txt", "seeds/000_bfbc84f6cc0ee720.txt"
    run(flow_settings, seed_copy)
    (seed_copy.parent / gone).unlink()
    (seed_copy.parent / "elsewhere").mkdir()
    (seed_copy.parent / "elsewhere" / "note.txt").write_text(
        "Chinese President Xi Jinping visited Paris on Monday.\n"
    )
    store = FalkorStore(flow_settings)
    try:
        # Without the flag a vanished file keeps its article: a folder may be mounted late.
        assert run(flow_settings, seed_copy).removed == []
        assert entity(store, "organization:reuters") is not None
        run(flow_settings, seed_copy.parent / "elsewhere")
        summary = ingest_flow(
            paths=[str(seed_copy)],
            data_dir=str(flow_settings.data_dir),
            config=None,
            prune=True,
        )
        assert summary.removed == [gone] and summary.unchanged == [kept]
        ids = [r["id"] for r in store.read("MATCH (a:Article) RETURN a.id AS id ORDER BY id")]
        # Only the folder that was read is pruned; the other folder's article stays.
        assert ids == ["elsewhere/note.txt", kept]
        # What only the removed article said is gone; shared entities lost that article.
        assert entity(store, "organization:reuters") is None
        assert (
            edge_articles(store, "person:kang-jun-young", "SPOKE_TO", "organization:reuters") == []
        )
        assert sorted(entity(store, "person:xi-jinping")["articles"]) == [
            "elsewhere/note.txt",
            kept,
        ]
        orphans = store.read(
            "MATCH (s:Statement) WHERE NOT (s)-[:EXTRACTED_FROM]->(:Article) RETURN count(s) AS n"
        )
        assert orphans[0]["n"] == 0
    finally:
        store.close()


def test_every_saved_question_answers_on_the_seed_graph(seed_graph) -> None:
    settings, _, _ = seed_graph
    store = FalkorStore(settings)
    try:
        empty = unanswered_questions(store)
    finally:
        store.close()
    assert empty == []


def test_only_transient_errors_are_retried() -> None:
    from prefect.states import Failed

    from flows.errors import RejectedDocument, StoreUnavailable

    assert retry_if_transient(None, None, Failed(data=StoreUnavailable("down")))
    assert not retry_if_transient(None, None, Failed(data=RejectedDocument("x", "bad")))
    assert not retry_if_transient(None, None, Failed(data=ValueError("bug")))


@pytest.mark.parametrize(
    ("runner", "processes"), [("inline", "1"), ("inline", "2"), ("processes", "2"), ("dask", "2")]
)
def test_other_task_runners_build_the_same_graph(
    seed_graph, runner: str, processes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extraction in the flow's own process, on its pool of worker processes, as Prefect
    tasks on a process pool, or on a local Dask cluster of two workers: each gives exactly
    the graph the default settings gave."""
    settings, _, work = seed_graph
    monkeypatch.chdir(work)
    monkeypatch.setenv("KG_GRAPH", f"runner-{runner}-{processes}")
    monkeypatch.setenv("KG_N_PROCESS", processes)
    summary = ingest_flow(
        paths=["seeds"], data_dir=str(settings.data_dir), config=None, task_runner=runner
    )
    assert len(summary.new) == 2 and summary.rejected == []
    default = FalkorStore(settings)
    other = FalkorStore(settings.model_copy(update={"graph_name": f"runner-{runner}-{processes}"}))
    try:
        assert export_records(other, stable=True) == export_records(default, stable=True)
    finally:
        other.reset()
        other.close()
        default.close()


def test_the_seeds_ingested_from_two_directories_are_one_graph(
    seed_copy: Path, flow_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article's id is its path below the folder it was found in, headed by that
    folder's name: not a path relative to wherever the command runs."""
    first = run(flow_settings, Path("seeds"))
    assert sorted(first.new) == [
        "seeds/000_bfbc84f6cc0ee720.txt",
        "seeds/001_dfced0b2e5d50451.txt",
    ]
    store = FalkorStore(flow_settings)
    try:
        graph = export_records(store, stable=True)
        elsewhere = seed_copy.parent / "elsewhere"
        elsewhere.mkdir()
        for cwd, paths in (
            (elsewhere, [Path("../seeds")]),  # another directory
            (seed_copy, [Path(".")]),  # inside the folder
            (seed_copy.parent, sorted(seed_copy.glob("*.txt"))),  # the files themselves
        ):
            monkeypatch.chdir(cwd)
            again = run(flow_settings, *paths)
            assert again.new == again.changed == [], cwd
            assert len(again.unchanged) == 2
            assert export_records(store, stable=True) == graph
    finally:
        store.close()


def test_the_run_summary_is_an_artifact_of_the_flow_run(flow_settings, seed_copy) -> None:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    (seed_copy.parent / "notes").mkdir()
    (seed_copy.parent / "notes" / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    summary = run(flow_settings, seed_copy, seed_copy.parent / "notes")

    async def latest() -> str:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["kg-ingest-summary"])),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )
            return found[0].data

    shown = asyncio.run(latest())
    assert "| new | 2 |" in shown and "| rejected | 1 |" in shown
    data = json.loads(shown.split("```json\n", 1)[1].rsplit("```", 1)[0])
    assert data["new"] == sorted(summary.new)
    reason = "unsupported file type '.pdf'; expected .txt, .md or .jsonl"
    assert data["rejections"] == [{"item": "notes/scan.pdf", "reason": reason}]
