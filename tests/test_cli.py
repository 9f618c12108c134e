"""The `kg` console script as users run it: exit codes, one-line errors, JSON output."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema

from flows.settings import REPO_ROOT

from .conftest import KG, SEEDS

SUMMARY_SCHEMA = REPO_ROOT / "schema" / "ingest-summary.schema.json"
CARD = REPO_ROOT / "models" / "relations" / "card.json"


def test_ingest_query_and_stats(run_kg, tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "seeds" / "empty.txt").write_text("")
    ingest = run_kg("ingest", "seeds", "--json", graph="cli1", cwd=tmp_path)
    assert ingest.returncode == 2, ingest.stderr
    assert "rejected: seeds/empty.txt: empty or whitespace-only file" in ingest.stderr
    assert "Traceback" not in ingest.stderr
    # --json: stdout is one JSON object, valid by the schema the README points to.
    assert ingest.stdout.count("\n") == 1
    summary = json.loads(ingest.stdout)
    jsonschema.validate(summary, json.loads(SUMMARY_SCHEMA.read_text()))
    assert summary["articles"] == {
        "new": 2, "changed": 0, "unchanged": 0, "rejected": 1, "removed": None
    }  # fmt: skip
    assert summary["new"] == ["seeds/000_bfbc84f6cc0ee720.txt", "seeds/001_dfced0b2e5d50451.txt"]
    assert summary["rejections"] == [
        {"item": "seeds/empty.txt", "reason": "empty or whitespace-only file"}
    ]
    assert summary["store"] == "embedded"
    assert summary["versions"]["relation_model"] == json.loads(CARD.read_text())["version"]
    assert summary["graph"]["articles"] == 2
    assert summary["seconds"]["total"] >= summary["seconds"]["load"]

    query = run_kg(
        "query",
        "MATCH (e:Entity)-[:MENTIONED_IN]->(a:Article) "
        "RETURN a.id AS article, count(e) AS entities",
        "--json",
        graph="cli1",
    )
    assert query.returncode == 0, query.stderr
    rows = json.loads(query.stdout)
    assert sorted(r["article"] for r in rows) == [
        "seeds/000_bfbc84f6cc0ee720.txt",
        "seeds/001_dfced0b2e5d50451.txt",
    ]
    assert all(r["entities"] >= 15 for r in rows)

    stats = run_kg("stats", "--json", graph="cli1")
    numbers = json.loads(stats.stdout)
    assert numbers["articles"] == 2
    assert sum(numbers["entities"].values()) >= 25

    (tmp_path / "seeds" / "empty.txt").unlink()
    again = run_kg("ingest", "seeds", graph="cli1", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert re.search(r"unchanged articles\s*│\s*2\s*│", again.stdout), again.stdout
    assert json.loads(run_kg("stats", "--json", graph="cli1").stdout) == numbers

    # Saved questions run by name, and --list names them.
    listed = run_kg("query", "--list", graph="cli1")
    assert listed.returncode == 0, listed.stderr
    assert "who-works-where\t" in listed.stdout and "advisers\t" in listed.stdout
    saved = run_kg("query", "--saved", "advisers", "--json", graph="cli1")
    assert saved.returncode == 0, saved.stderr
    assert [(r["adviser"], r["advises"]) for r in json.loads(saved.stdout)] == [
        ("Wi Sung lac", "Lee Jae Myung")
    ]
    unknown = run_kg("query", "--saved", "nope", graph="cli1")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == (
        "kg: error: no saved question 'nope'; kg query --list names them"
    )

    # Into a pipe, rows are tab-separated lines, unwrapped, and a sum of counts is a whole
    # number (FalkorDB's sum() returns 17.0).
    piped = run_kg(
        "query",
        "MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article) "
        "RETURN a.id AS article, sum(m.count) AS mentions ORDER BY article",
        graph="cli1",
    )
    assert piped.returncode == 0, piped.stderr
    lines = piped.stdout.splitlines()
    assert lines[0] == "article\tmentions"
    assert [line.split("\t")[0] for line in lines[1:]] == summary["new"]
    assert all(re.fullmatch(r"\d+", line.split("\t")[1]) for line in lines[1:]), lines
    shown = run_kg("show", "Kang Jun-young", graph="cli1")
    assert shown.returncode == 0, shown.stderr
    assert "# Relationships, with one evidence sentence each" in shown.stdout
    evidence = [line for line in shown.stdout.splitlines() if "WORKS_FOR" in line]
    assert evidence and all("Hankuk University of Foreign Studies" in e for e in evidence)
    assert "│" not in shown.stdout and "━" not in shown.stdout

    # A name that is not an entity's suggests the names it may mean.
    partial = run_kg("show", "Jinping", graph="cli1")
    assert partial.returncode == 1
    assert partial.stderr.strip() == (
        "kg: error: no entity has the key, name or alias 'Jinping'; did you mean Xi Jinping?"
    )
    assert "did you mean Sanae Takaichi?" in run_kg("show", "Sanae Takaichy", graph="cli1").stderr

    # A reader that goes away (kg export | head) ends the command quietly.
    export = subprocess.Popen(
        [str(KG), "export"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=run_kg.env("cli1"),
    )  # fmt: skip
    assert export.stdout is not None
    export.stdout.close()  # before kg has started: its first write meets a closed pipe
    _, stderr = export.communicate(timeout=120)
    assert export.returncode == 0, stderr
    assert stderr == b"", stderr


def test_query_is_read_only_unless_asked(run_kg) -> None:
    refused = run_kg("query", "CREATE (:Article {id: 'x'})", graph="cli2")
    assert refused.returncode == 1
    assert (
        refused.stderr.strip()
        == "kg: error: the query writes to the graph; pass --write to allow it"
    )
    allowed = run_kg("query", "CREATE (:Article {id: 'x'})", "--write", graph="cli2")
    assert allowed.returncode == 0, allowed.stderr
    count = run_kg("query", "MATCH (a:Article) RETURN count(a) AS n", "--json", graph="cli2")
    assert json.loads(count.stdout) == [{"n": 1}]


def test_fatal_errors_are_one_line_and_exit_1(run_kg, tmp_path: Path) -> None:
    cases = [
        (("bogus",), {}, "No such command"),
        (("query",), {}, "give one of a CYPHER query, --saved NAME or --list"),
        (("stats",), {"KG_BATCH_SIZE": "0"}, "bad settings: batch_size"),
        (("stats",), {"NEO4J_URI": "http://nope"}, "bad settings: neo4j_uri"),
        (("stats", "--data-dir", str(tmp_path / "file" / "kg")), {}, "cannot create or write"),
    ]
    (tmp_path / "file").write_text("a file, not a folder")
    for args, env, message in cases:
        result = run_kg(*args, graph="cli3", env=env)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("kg: error: ") and message in lines[0], lines


def test_unreachable_neo4j_is_one_line_without_the_password(run_kg) -> None:
    result = run_kg(
        "stats",
        graph="cli4",
        env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-pw"},
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "kg: error: Neo4j at bolt://127.0.0.1:1 is unreachable (ServiceUnavailable)"
    )
    assert "s3cret-pw" not in result.stderr + result.stdout

    in_uri = run_kg("stats", graph="cli4", env={"NEO4J_URI": "bolt://user:hunter2@127.0.0.1:1"})
    assert in_uri.returncode == 1
    assert in_uri.stderr.strip() == (
        "kg: error: bad settings: neo4j_uri: Value error, must not hold credentials; "
        "set NEO4J_USER and NEO4J_PASSWORD"
    )
    assert "hunter2" not in in_uri.stderr + in_uri.stdout


def test_export_is_a_sorted_json_lines_dump_and_stable_drops_volatile_fields(
    seed_graph, run_kg
) -> None:
    from flows.export import export_records
    from flows.store.falkordb_store import FalkorStore

    settings, _, _ = seed_graph
    stable = run_kg("export", "--stable", graph=settings.graph_name)
    assert stable.returncode == 0, stable.stderr
    records = [json.loads(line) for line in stable.stdout.splitlines()]
    store = FalkorStore(settings)
    try:
        assert records == export_records(store, stable=True)
    finally:
        store.close()
    assert {r["kind"] for r in records} == {"node", "relationship"}
    assert stable.stdout.splitlines() == sorted(stable.stdout.splitlines())
    assert "ingested_at" not in stable.stdout and "IngestRun" not in stable.stdout
    full = run_kg("export", graph=settings.graph_name)
    assert "ingested_at" in full.stdout and "IngestRun" in full.stdout
    wrong = run_kg("export", "--format", "csv", graph=settings.graph_name)
    assert wrong.returncode == 1
    assert wrong.stderr.strip().startswith("kg: error:") and "csv" in wrong.stderr


def test_missing_paths_are_rejected_before_anything_starts(run_kg, tmp_path: Path) -> None:
    """Nothing to read: exit 2, one line per path, and neither the store nor a Prefect API
    is started for it (both take seconds)."""
    data_dir = tmp_path / "never-created"
    result = run_kg(
        "ingest",
        str(tmp_path / "gone"),
        "also-gone.txt",
        graph="m",
        env={"KG_DATA_DIR": str(data_dir)},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"rejected: {tmp_path / 'gone'}: no such file or directory",
        "rejected: also-gone.txt: no such file or directory",
    ]
    assert not data_dir.exists()


def test_an_unchanged_rerun_is_hash_compare_report(run_kg, tmp_path: Path) -> None:
    """A rerun over unchanged files needs no flow: with the Prefect API unreachable it
    still answers, while a run with a changed file does need it."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    first = run_kg("ingest", "seeds", "--json", graph="cli_noop", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    no_api = {"PREFECT_API_URL": "http://127.0.0.1:9/api"}
    again = run_kg("ingest", "seeds", "--json", graph="cli_noop", cwd=tmp_path, env=no_api)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    jsonschema.validate(summary, json.loads(SUMMARY_SCHEMA.read_text()))
    assert summary["articles"]["unchanged"] == 2
    assert summary["new"] == summary["changed"] == []
    assert summary["graph"] == json.loads(first.stdout)["graph"]
    # The command's wall time includes its start-up, which the pipeline's does not.
    assert summary["seconds"]["total"] > summary["seconds"]["pipeline"]

    seed = next((tmp_path / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text() + "\nA new closing line.\n")
    changed = run_kg("ingest", "seeds", "--json", graph="cli_noop", cwd=tmp_path, env=no_api)
    assert changed.returncode == 1, changed.stdout
    changed = run_kg("ingest", "seeds", "--json", graph="cli_noop", cwd=tmp_path)
    assert json.loads(changed.stdout)["articles"]["changed"] == 1


def test_a_run_that_reads_nothing_says_so(run_kg, tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "folder").mkdir()
    for source in ("empty.jsonl", "folder"):
        result = run_kg("ingest", source, graph="cli_empty", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert f"nothing to ingest: no articles in {source}" in result.stderr


def test_help_is_plain_text_with_one_example_a_line() -> None:
    done = subprocess.run([KG, "ingest", "--help"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"}, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "<bool>" not in done.stdout and "╭" not in done.stdout
    assert "  --prune " in done.stdout
    assert "Examples:\n    kg ingest seeds/\n    kg ingest a.txt notes/ --data-dir /tmp/kg\n" in (
        done.stdout
    )


def test_the_readme_names_every_command_and_how_to_run_kg() -> None:
    import typer.main

    from flows.cli import app

    commands = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    readme = (REPO_ROOT / "README.md").read_text()
    table = [line for line in readme.splitlines() if line.startswith("| `kg ")]
    assert commands and len(commands) >= 9
    for name in commands:
        assert any(line.startswith(f"| `kg {name}") for line in table), name
    assert "The command is `.venv/bin/kg`" in readme
    assert "source .venv/bin/activate" in readme


def test_the_readme_shows_what_make_run_prints(prefect_api: str) -> None:
    # tools/readme_sample.py runs `kg ingest seeds/ --examples` in a terminal and compares.
    done = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "python"), "tools/readme_sample.py", "--check"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PREFECT_API_URL": prefect_api},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
