"""What a store says when it refuses a query, as one line a person can act on.

FalkorDB packs a syntax error into `errMsg: … line: 1, column: 10, offset: 9 errCtx: …
errCtxOffset: 9`; Neo4j spreads it over three lines with a caret under the query. Both
become `Cypher syntax error at line 1, column 10: <what> (near 'RETURN n')`.
"""

from __future__ import annotations

import re
from pathlib import Path

_FALKORDB_SYNTAX = re.compile(
    r"errMsg: (?P<what>.*?)\s+line: (?P<line>\d+), column: (?P<column>\d+), offset: \d+"
    r"\s+errCtx: (?P<context>.*?)\s+errCtxOffset: (?P<at>\d+)\s*$"
)
_NEO4J_POSITION = re.compile(r"\s*\(line (?P<line>\d+), column (?P<column>\d+) \(offset: \d+\)\)")
NEAR = 30  # characters of the query shown after the error's position


def _syntax_error(what: str, line: str, column: str, near: str) -> str:
    near = " ".join(near.split())[:NEAR]
    where = f" (near '{near}')" if near else " (at the end of the query)"
    return f"Cypher syntax error at line {line}, column {column}: {what.strip()}{where}"


def falkordb_error(message: str, import_dir: Path) -> str:
    """FalkorDB's error reply, in one line."""
    if syntax := _FALKORDB_SYNTAX.search(message):
        context, at = syntax["context"], int(syntax["at"])
        return _syntax_error(syntax["what"], syntax["line"], syntax["column"], context[at:])
    if message.startswith("Error opening CSV URI: "):
        uri = message.removeprefix("Error opening CSV URI: ")
        return (
            f"LOAD CSV cannot open {uri}: the embedded store reads files from {import_dir}, "
            "as 'file://NAME.csv'"
        )
    return f"the store rejected the query: {message}"


def neo4j_error(message: str) -> str:
    """Neo4j's error message, in one line."""
    lines = message.splitlines() or [""]
    if position := _NEO4J_POSITION.search(lines[0]):
        what = lines[0][: position.start()]
        query_line = lines[1].strip().strip('"') if len(lines) > 1 else ""
        near = query_line[int(position["column"]) - 1 :]
        return _syntax_error(what, position["line"], position["column"], near)
    return f"Neo4j rejected the query: {' '.join(message.split())}"
