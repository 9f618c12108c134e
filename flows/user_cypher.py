"""The Cypher people write: the saved questions in schema/queries.cypher, and what
`kg query` checks in a query before it runs one. The project's own statements are in
flows/cypher.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# What a query says outside its string literals, quoted names and comments.
_NOT_CODE = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)


def reads_outside_the_graph(cypher: str) -> bool:
    """True if the query reads files or URLs (LOAD CSV). Stores run that in read-only
    mode, so `kg query` refuses it itself unless --write is given."""
    return bool(_LOAD_CSV.search(_NOT_CODE.sub(" ", cypher)))


def parameters_of(cypher: str) -> list[str]:
    """The $parameters a statement uses, for the Neo4j linter's declarations."""
    return sorted(set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", cypher)))


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    cypher: str


def saved_queries(path: Path) -> list[SavedQuery]:
    """The questions in schema/queries.cypher: each block opens with "// name: description"."""
    queries = []
    for block in path.read_text(encoding="utf-8").split(";"):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        header = next((line for line in lines if re.match(r"//\s*[\w-]+:", line)), None)
        body = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
        if header and body:
            name, _, description = header.lstrip("/ ").partition(":")
            queries.append(SavedQuery(name.strip(), description.strip(), body.strip()))
    return queries
