"""The raw reference bench_store.py compares the load stage against: the same rows
written in bulk with bare MERGEs. Everything the load stage writes (types, labels,
mentions, statements, typed relationships) except what makes a load an idempotent
replace: retractions, orphan deletion, names and aliases. Benchmark-only, so it lives
here, not in flows/cypher.py; tests/test_cypher_lint.py lints it with the rest.
"""

from __future__ import annotations

from flows.cypher import UPSERT_STATEMENTS
from flows.ontology import check_identifier

RAW_ARTICLES = """\
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.title = row.title, a.source = row.source, a.content_hash = row.content_hash,
    a.ingested_at = row.ingested_at"""


def raw_entities(entity_type: str) -> str:
    """Entities of one type and their mentions, in bulk."""
    # A label cannot be a parameter: one statement per type, like the load stage's guards.
    return f"""\
UNWIND $rows AS row
MERGE (e:Entity {{key: row.key}})
ON CREATE SET e.name = row.name, e.type = row.type
SET e:{check_identifier(entity_type)}
WITH e, row
MATCH (a:Article {{id: row.article}})
MERGE (e)-[m:MENTIONED_IN]->(a)
SET m.count = row.count, m.forms = row.forms"""


def raw_statements(predicate: str) -> str:
    """Statements of one predicate and their typed relationship, in bulk: a MERGE of the
    relationship per statement row. (On FalkorDB two rows merging one relationship keep
    only one row's article; the benchmark compares speed, and counts, not those lists.)"""
    return f"""\
{UPSERT_STATEMENTS}
MERGE (s)-[r:{check_identifier(predicate)}]->(o)
SET r.articles = CASE WHEN row.article IN coalesce(r.articles, [])
                 THEN r.articles ELSE coalesce(r.articles, []) + row.article END"""
