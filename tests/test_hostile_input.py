"""Hostile and broken input through the real `kg ingest`: every item is either ingested
correctly or rejected with one line naming it and saying why; nothing crashes; and no
document, however it is written, changes anything but its own article's data."""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from flows.export import export_records
from flows.store.neo4j_store import LOCK_LABEL

from .conftest import SEEDS

MAX_BYTES = 150_000
ENV = {"KG_MAX_BYTES": str(MAX_BYTES)}
# The store's own: the lock Neo4j units of work take (no node ever has it).
STRUCTURAL_LABELS = {"Article", "Entity", "Statement", "IngestRun", LOCK_LABEL}
STRUCTURAL_TYPES = {"MENTIONED_IN", "SUBJECT", "OBJECT", "EXTRACTED_FROM", "INGESTED"}

GOOD = {f"good/{p.name}" for p in SEEDS.glob("*.txt")}
INJECTION_TITLE = '\'}) MATCH (n) DETACH DELETE n // "}) `x` $param \\"}) DELETE n \\ {id: 1}'
INJECTION = (
    f"{INJECTION_TITLE}\n"
    "Mr. O'Brien met `Robert'); DROP TABLE students; --` in London on Tuesday.\n"
    "Chief executive John Evil`:Hacked met President Joe Biden in Washington.\n"
    "Evil`:Hacked works for Acme`]->(x:Pwned) Corp in Seoul.\n"
)
EVIL_SENTENCE = "Chief executive John Evil`:Hacked met President Joe Biden in Washington."
RUSSIAN = "Президент России Владимир Путин встретился в Москве с председателем КНР Си Цзиньпином."  # noqa: RUF001
CHINESE = "中国国家主席习近平周日在北京会见了韩国总统李在明。"
RUN_ON = " ".join(["Seoul", "market", "trade", "growth", "report", "quarter"] * 3000)[:100_000]
UTF16 = "German Chancellor Angela Merkel visited Paris on Monday and met Emmanuel Macron."
HTML_PAGE = (
    '<!DOCTYPE html>\n<html><head><title>Markets</title><script>var x = "<b>";</script>'
    "</head>\n<body><p>Apple chief executive Tim Cook met Sanae Takaichi in Tokyo.</p>\n"
    '<a href="/more">Read more</a></body></html>\n'
)

# What each hostile item is expected to become: an article id, or a rejection line.
INGESTED = {
    "hostile/utf16.txt",
    "hostile/bom.md",
    "hostile/russian.txt",
    "hostile/chinese.txt",
    "hostile/run-on.txt",
    "hostile/injection.txt",
    "hostile/evil`name'.txt",
    "wire-1",
}
REJECTED = [
    "hostile/empty.txt: empty or whitespace-only file",
    "hostile/blank.md: empty or whitespace-only file",
    "hostile/binary.txt: binary file (contains NUL bytes)",
    "hostile/late-nul.txt: binary file (contains NUL bytes)",
    "hostile/latin1.txt: not valid UTF-8 (byte 0xe9 at offset 6)",
    "hostile/odd-utf16.txt: not valid UTF-16 despite its byte-order mark",
    f"hostile/big.txt: file is {MAX_BYTES + 1:,} bytes, over the {MAX_BYTES:,}-byte limit",
    "hostile/page.txt: an HTML page, not plain text; ingest it by its URL",
    # A file name that would forge a second line, and one that is not UTF-8.
    "hostile/forged\\nrejected: fake.txt: ok.txt: empty or whitespace-only file",
    "hostile/caf\\xe9.txt: file name is not valid UTF-8",
    "hostile/feed.jsonl:2: not valid JSON (Unterminated string starting at column 26)",
    "hostile/feed.jsonl:3: missing or non-string text",
    "hostile/feed.jsonl:4: text contains a NUL character",
    "hostile/feed.jsonl:5: text is not valid Unicode (lone surrogate at character 11)",
    "hostile/feed.jsonl:6: not valid JSON (nested too deeply)",
    "missing.txt: no such file or directory",
    "scan.pdf: unsupported file type '.pdf'; expected .txt, .md or .jsonl",
]


def write_hostile_folder(root: Path) -> None:
    folder = root / "hostile"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b" \n\t\r\n  \n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\x00" + random.Random(7).randbytes(4000))
    # Past the first 8 KB, where a sniffing reader stops looking; FalkorDB cuts at a NUL.
    (folder / "late-nul.txt").write_bytes(b"Xi Jinping visited Seoul. " * 400 + b"\x00tail")
    (folder / "latin1.txt").write_bytes("Le café de Zürich ouvre à Genève.".encode("latin-1"))
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + f"{UTF16}\n".encode("utf-16-le"))
    (folder / "odd-utf16.txt").write_bytes(codecs.BOM_UTF16_LE + b"S\x00e\x00o")
    (folder / "bom.md").write_bytes(codecs.BOM_UTF8 + b"Kim Jong Un visited Moscow.\n")
    (folder / "big.txt").write_bytes(b"x" * (MAX_BYTES + 1))
    (folder / "page.txt").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "run-on.txt").write_text(RUN_ON, encoding="utf-8")
    (folder / "russian.txt").write_text(RUSSIAN + "\n", encoding="utf-8")
    (folder / "chinese.txt").write_text(CHINESE + "\n", encoding="utf-8")
    (folder / "injection.txt").write_text(INJECTION, encoding="utf-8")
    (folder / "evil`name'.txt").write_text("Prime Minister Sanae Takaichi visited Washington.\n")
    (folder / "forged\nrejected: fake.txt: ok.txt").write_bytes(b"")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as latin1_name:
        latin1_name.write(b"Lee Jae Myung visited Tokyo.\n")
    lines = [
        json.dumps({"id": "wire-1", "title": "Wire", "text": "Kim Jong Un met Vladimir Putin."}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-text", "title": "nothing here"}),
        json.dumps({"id": "nul", "text": "Xi Jinping\u0000 met Lee Jae Myung."}),
        json.dumps({"id": "surrogate", "text": "Xi Jinping \ud800 met Lee Jae Myung."}),
        "[" * 100_000,
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4\n")


def table_count(stdout: str, label: str) -> int:
    found = re.search(rf"{label}\s*│\s*([\d,]+)", stdout)
    assert found, stdout
    return int(found.group(1).replace(",", ""))


def identity(record: dict[str, Any]) -> tuple:
    if record["kind"] == "node":
        props = record["properties"]
        return ("node", tuple(record["labels"]), props.get("key") or props.get("id"))
    return ("relationship", record["start"], record["type"], record["end"])


def test_hostile_folder_is_ingested_or_rejected_one_line_each(
    run_kg_on_store, store, tmp_path: Path, ontology
) -> None:
    shutil.copytree(SEEDS, tmp_path / "good")
    first = run_kg_on_store("ingest", "good", cwd=tmp_path, env=ENV)
    assert first.returncode == 0, first.stderr
    assert all(line.startswith("progress: ") for line in first.stderr.splitlines())
    before = export_records(store, stable=True)

    write_hostile_folder(tmp_path)
    run = run_kg_on_store(
        "ingest", "good", "hostile", "missing.txt", "scan.pdf", cwd=tmp_path, env=ENV
    )

    # Exit 2: some documents were rejected, the rest ingested. Each rejection is one line.
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "kg: error" not in run.stderr
    other = [line for line in run.stderr.splitlines() if not line.startswith("progress: ")]
    assert sorted(other) == sorted(f"rejected: {r}" for r in REJECTED)
    assert table_count(run.stdout, "unchanged articles") == len(GOOD)
    assert table_count(run.stdout, "new articles") == len(INGESTED)
    assert table_count(run.stdout, "rejected articles") == len(REJECTED)

    after = export_records(store, stable=True)
    articles = {
        r["properties"]["id"]: r["properties"]
        for r in after
        if r["kind"] == "node" and "Article" in r["labels"]
    }
    assert set(articles) == GOOD | INGESTED

    # What was read is stored exactly: titles are first lines, whatever their script or quotes.
    assert articles["hostile/injection.txt"]["title"] == INJECTION_TITLE
    assert articles["hostile/russian.txt"]["title"] == RUSSIAN
    assert articles["hostile/chinese.txt"]["title"] == CHINESE
    assert articles["hostile/utf16.txt"]["title"] == UTF16
    assert articles["hostile/bom.md"]["title"] == "Kim Jong Un visited Moscow."
    assert articles["hostile/run-on.txt"]["title"] == RUN_ON[:200]
    assert articles["wire-1"]["title"] == "Wire"

    def mentioned_in(article_id: str) -> set[str]:
        rows = store.read(
            "MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: $id}) RETURN e.name AS name",
            {"id": article_id},
        )
        return {row["name"] for row in rows}

    assert {"Angela Merkel", "Paris", "Emmanuel Macron"} <= mentioned_in("hostile/utf16.txt")
    assert "Seoul" in mentioned_in("hostile/run-on.txt")
    assert "Sanae Takaichi" in mentioned_in("hostile/evil`name'.txt")
    assert {"Kim Jong Un", "Vladimir Putin"} <= mentioned_in("wire-1")
    # Names with quotes and backticks are data, kept as written, keyed like any other.
    assert {"O'Brien", "John Evil`:Hacked"} <= mentioned_in("hostile/injection.txt")
    meets = store.read(
        "MATCH (:Entity {key: $key})<-[:SUBJECT]-(s:Statement {predicate: 'MEETS'})"
        "-[:OBJECT]->(o:Entity) RETURN o.name AS object, s.sentence AS sentence,"
        " s.sentence_start AS start, s.sentence_end AS end",
        {"key": "person:john-evil`:hacked"},
    )
    assert meets == [
        {
            "object": "Joe Biden",
            "sentence": EVIL_SENTENCE,
            "start": INJECTION.index(EVIL_SENTENCE),
            "end": INJECTION.index(EVIL_SENTENCE) + len(EVIL_SENTENCE),
        }
    ]

    # Only ontology labels and relationship types exist, whatever the text said.
    labels = {row["label"] for row in store.read("CALL db.labels()")}
    types = {row["relationshipType"] for row in store.read("CALL db.relationshipTypes()")}
    assert labels <= set(ontology.types) | STRUCTURAL_LABELS, labels
    assert types <= set(ontology.relation_types) | STRUCTURAL_TYPES, types

    assert_only_new_articles_added(before, after, INGESTED)


READER_COUNTS = frozenset(
    {"lone_readers", "lone_links", "lone_people", "lone_places", "full_people", "full_others"}
)


def assert_only_new_articles_added(
    before: list[dict[str, Any]], after: list[dict[str, Any]], new_articles: set[str]
) -> None:
    """Every record of `before` is still there, unchanged except for what the new articles
    add to it (aliases, supporting articles); every other record belongs to a new article."""
    now = {identity(r): r for r in after}
    assert len(now) == len(after), "two records with one identity"
    new_forms: dict[str, set[str]] = defaultdict(set)
    for r in after:
        if r["kind"] == "relationship" and r["type"] == "MENTIONED_IN" and r["end"] in new_articles:
            new_forms[r["start"]] |= set(r["properties"]["forms"])
    for old in before:
        current = now.get(identity(old))
        assert current is not None, f"gone: {old}"
        grows = "aliases" if old["kind"] == "node" else "articles"
        # A node's counts of the articles that read it one way grow with the new ones.
        counts = {k for k in old["properties"] if k in READER_COUNTS}
        assert {
            k: v for k, v in current["properties"].items() if k != grows and k not in counts
        } == {k: v for k, v in old["properties"].items() if k != grows and k not in counts}, old
        assert all(current["properties"][k] >= old["properties"][k] for k in counts), old
        if grows in old["properties"]:
            added = set(current["properties"][grows]) - set(old["properties"][grows])
            assert set(old["properties"][grows]) <= set(current["properties"][grows]), old
            allowed = new_forms[old["properties"]["key"]] if grows == "aliases" else new_articles
            assert added <= allowed, (old, added)

    old_ids = {identity(r) for r in before}
    added = [r for r in after if identity(r) not in old_ids]
    new_statements = {
        r["properties"]["id"] for r in added if r["kind"] == "node" and "Statement" in r["labels"]
    }
    for r in added:
        props = r["properties"]
        if r["kind"] == "node":
            if "Article" in r["labels"]:
                assert props["id"] in new_articles, r
            elif "Statement" in r["labels"]:
                assert props["article"] in new_articles, r
            else:
                assert "Entity" in r["labels"] and props["key"] in new_forms, r
        elif r["type"] in ("MENTIONED_IN", "EXTRACTED_FROM"):
            assert r["end"] in new_articles, r
        elif r["type"] in ("SUBJECT", "OBJECT"):
            assert r["start"] in new_statements, r
        else:
            assert set(props["articles"]) <= new_articles, r
