"""The embedded store and Neo4j hold the same graph for the same input: the seeds through
the real flow, and 200 BBC articles through the load stage, give equal stable exports; and
every saved question runs on the Neo4j-built seed graph."""

from __future__ import annotations

from itertools import islice

from flows.clean import clean
from flows.export import export_records
from flows.load import load_articles
from flows.queries import labels_not_carried
from flows.read import read_jsonl
from flows.resolve import resolve
from flows.settings import load_settings
from flows.store import open_store
from tests.conftest import SHARED, ingest_seeds, unanswered_questions

BBC = SHARED / "data" / "bbc" / "articles.jsonl"


def exported(settings) -> list[dict]:
    store = open_store(settings)
    try:
        return export_records(store, stable=True)
    finally:
        store.close()


def test_the_seeds_give_one_graph_in_both_stores(seed_graph, neo4j_server) -> None:
    embedded, _, work = seed_graph
    neo4j = neo4j_server.settings_of(embedded)
    store = open_store(neo4j)
    store.reset()
    store.close()
    summary = ingest_seeds(neo4j, work)
    assert len(summary.new) == 2
    assert exported(neo4j) == exported(embedded)

    store = open_store(neo4j)
    try:
        empty = unanswered_questions(store)
    finally:
        store.reset()
        store.close()
    assert empty == []


def test_200_bbc_articles_give_one_graph_in_both_stores(
    extractor, ontology, neo4j_server, data_dir
) -> None:
    articles = list(islice(read_jsonl(BBC, 5_000_000), 200))
    graphs = [
        resolve(g, ontology) for g in extractor.run(clean(a, ontology.drop_lines) for a in articles)
    ]
    embedded = load_settings(data_dir=data_dir, graph_name="bbc200-both")
    neo4j = neo4j_server.settings_of(embedded)
    exports = []
    for settings in (embedded, neo4j):
        store = open_store(settings)
        try:
            store.reset()
            store.ensure_schema()
            for start in range(0, len(graphs), 64):
                load_articles(store, graphs[start : start + 64], ontology, "t1")
            exports.append(export_records(store, stable=True))
            # An export lists each node's own labels; a match must find the same.
            assert labels_not_carried(store) == {}
            store.reset()
        finally:
            store.close()
    assert len([r for r in exports[0] if "Article" in r.get("labels", [])]) == 200
    assert exports[0] == exports[1]
