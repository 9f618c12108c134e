"""A query the store refuses gets one line that says what is wrong and where."""

from __future__ import annotations

import json
from pathlib import Path

from flows.store.messages import falkordb_error, neo4j_error

FALKORDB_SAYS = (
    "errMsg: Invalid input 'R': expected a label, '{', a parameter or ')' line: 1, column: 10, "
    "offset: 9 errCtx: MATCH (n RETURN n errCtxOffset: 9"
)
NEO4J_SAYS = (
    "Invalid input 'RETURN': expected a node label, a parameter or ')' "
    '(line 1, column 10 (offset: 9))\n"MATCH (n RETURN n"\n          ^'
)


def test_each_stores_syntax_error_becomes_one_line_with_its_position() -> None:
    assert falkordb_error(FALKORDB_SAYS, Path("/d/import")) == (
        "Cypher syntax error at line 1, column 10: Invalid input 'R': expected a label, '{', "
        "a parameter or ')' (near 'RETURN n')"
    )
    assert neo4j_error(NEO4J_SAYS) == (
        "Cypher syntax error at line 1, column 10: Invalid input 'RETURN': expected a node "
        "label, a parameter or ')' (near 'RETURN n')"
    )


def test_other_refusals_keep_the_stores_words_on_one_line() -> None:
    assert falkordb_error("'m' not defined", Path("/d/import")) == (
        "the store rejected the query: 'm' not defined"
    )
    assert neo4j_error("Variable `m` not defined\nmore") == (
        "Neo4j rejected the query: Variable `m` not defined more"
    )
    assert falkordb_error("Error opening CSV URI: file:///etc/passwd", Path("/d/import")) == (
        "LOAD CSV cannot open file:///etc/passwd: the embedded store reads files from "
        "/d/import, as 'file://NAME.csv'"
    )


def test_kg_query_prints_a_syntax_error_as_one_line(run_kg_on_store, store) -> None:
    refused = run_kg_on_store("query", "MATCH (n RETURN n")
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line.startswith("kg: error: Cypher syntax error at line 1, column 10: "), line
    assert line.endswith("(near 'RETURN n')"), line
    assert "errMsg" not in line and "errCtx" not in line


def test_load_csv_with_write_reads_the_embedded_stores_import_folder(
    run_kg, data_dir: Path
) -> None:
    (data_dir / "import").mkdir(exist_ok=True)
    (data_dir / "import" / "people.csv").write_text("name,born\nAda,1815\nAlan,1912\n")
    query = "LOAD CSV WITH HEADERS FROM 'file://people.csv' AS r RETURN r.name AS name"
    read = run_kg("query", query, "--write", "--json", graph="csv")
    assert read.returncode == 0, read.stderr
    assert sorted(row["name"] for row in json.loads(read.stdout)) == ["Ada", "Alan"]

    outside = run_kg(
        "query", "LOAD CSV FROM 'file:///etc/hostname' AS r RETURN r", "--write", graph="csv"
    )
    assert outside.returncode == 1
    assert outside.stderr.splitlines() == [
        "kg: error: LOAD CSV cannot open file:///etc/hostname: the embedded store reads "
        f"files from {data_dir / 'import'}, as 'file://NAME.csv'"
    ]
