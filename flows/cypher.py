"""Every Cypher statement the project sends, in one place, for Neo4j 5 and FalkorDB alike.

Data always travels as parameters. The only identifiers put into statement text are
ontology labels and relationship types, checked by `check_identifier` in the builders.
The dialect is the common subset of both stores: no APOC, no datetime() (FalkorDB lacks
it; timestamps come in as parameters), no CALL subqueries.
"""

from __future__ import annotations

from collections.abc import Iterable

from flows.ontology import check_identifier

# --- reads ----------------------------------------------------------------------------

ARTICLE_HASHES = """\
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.content_hash AS content_hash"""

ARTICLE_ENTITY_KEYS = """\
MATCH (:Article {id: $id})<-[:MENTIONED_IN]-(e:Entity)
RETURN e.key AS key"""

# Which of these articles are in the graph, and the entities each mentions.
STORED_ARTICLE_ENTITY_KEYS = """\
UNWIND $ids AS id
MATCH (a:Article {id: id})
OPTIONAL MATCH (a)<-[:MENTIONED_IN]-(e:Entity)
RETURN id, collect(e.key) AS keys"""

COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
COUNT_ARTICLES = "MATCH (a:Article) RETURN count(a) AS n"
COUNT_STATEMENTS = "MATCH (s:Statement) RETURN count(s) AS n"
ENTITIES_BY_TYPE = """\
MATCH (e:Entity)
RETURN e.type AS type, count(e) AS n
ORDER BY type"""
RELATIONSHIPS_BY_TYPE = """\
MATCH (:Entity)-[r]->(:Entity)
RETURN type(r) AS type, count(r) AS n
ORDER BY type"""

EXPORT_NODES = """\
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS properties"""
EXPORT_RELATIONSHIPS = """\
MATCH (a)-[r]->(b)
RETURN coalesce(a.key, a.id) AS start, type(r) AS type, coalesce(b.key, b.id) AS end,
       properties(r) AS properties"""

ENTITY_NAMES = "MATCH (e:Entity) RETURN e.name AS name"

FIND_ENTITIES = """\
MATCH (e:Entity)
WHERE e.key = $needle OR toLower(e.name) = toLower($needle)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($needle))
OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(a:Article)
WITH e, toInteger(sum(m.count)) AS mentions, collect(a.id) AS articles, collect(a.title) AS titles
RETURN e.key AS key, e.name AS name, e.type AS type, e.aliases AS aliases,
       mentions, articles, titles
ORDER BY mentions DESC, key"""

ENTITY_STATEMENTS = """\
MATCH (:Entity {key: $key})<-[:SUBJECT|OBJECT]-(st:Statement)
MATCH (st)-[:SUBJECT]->(s:Entity)
MATCH (st)-[:OBJECT]->(o:Entity)
MATCH (st)-[:EXTRACTED_FROM]->(a:Article)
RETURN s.name AS subject, st.predicate AS predicate, o.name AS object,
       st.sentence AS sentence, a.id AS article
ORDER BY predicate, subject, object, article, sentence"""

EDGE_EVIDENCE = """\
UNWIND $edges AS edge
MATCH (s:Entity {key: edge.subject})<-[:SUBJECT]-(st:Statement)
MATCH (st)-[:OBJECT]->(o:Entity {key: edge.object})
WHERE st.predicate = edge.predicate
MATCH (st)-[:EXTRACTED_FROM]->(a:Article)
RETURN edge.id AS edge, st.sentence AS sentence, a.id AS article, a.title AS title
ORDER BY article, sentence"""

# --- writes, in the order one article is written ---------------------------------------

# Writes take rows, so that one statement can carry a whole batch of new articles.
MERGE_ARTICLES = """\
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
ON CREATE SET a.title = row.title, a.source = row.source"""

# First when an article is replaced: until its new hash is written last, it reads as
# changed, so a replace cut short is redone even if the file goes back to what it was.
CLEAR_HASHES = """\
UNWIND $ids AS id
MATCH (a:Article {id: id})
SET a.content_hash = null"""

# Every node is deleted with its labels taken off first. FalkorDB 4.16 gives a new node the
# id of a deleted one, and after some sequences of writes the new node also matched the
# labels of the one before: at twice the BBC corpus, three Articles matched `:Entity` and
# eight nodes `:Person` without having the label (`labels(n)` disagreeing with `n:Person`),
# so questions about people returned organizations. A node without labels leaves none.
RETRACT_STATEMENTS = """\
MATCH (:Article {id: $id})<-[:EXTRACTED_FROM]-(s:Statement)
REMOVE s:Statement
DETACH DELETE s"""

# After an article's statements are retracted, each relationship it supported keeps the
# highest confidence of the statements left behind it (none: the edge goes next).
RECOMPUTE_CONFIDENCE = """\
MATCH (:Article {id: $id})<-[:MENTIONED_IN]-(s:Entity)-[r]->(o:Entity)
WHERE $id IN r.articles
OPTIONAL MATCH (s)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(o)
WHERE st.predicate = type(r)
WITH r, max(st.confidence) AS confidence
SET r.confidence = confidence"""

# Two statements, not one: FalkorDB 4.16 silently does nothing for
# "SET r.x = ... WITH r WHERE ... DELETE r" (0 properties set, 0 deleted).
RETRACT_RELATIONSHIPS = """\
MATCH (:Article {id: $id})<-[:MENTIONED_IN]-(:Entity)-[r]->(:Entity)
WHERE $id IN r.articles
SET r.articles = [x IN r.articles WHERE x <> $id]"""

DELETE_UNSUPPORTED_RELATIONSHIPS = """\
MATCH (:Article {id: $id})<-[:MENTIONED_IN]-(:Entity)-[r]->(:Entity)
WHERE size(r.articles) = 0
DELETE r"""

RETRACT_MENTIONS = """\
MATCH (:Article {id: $id})<-[m:MENTIONED_IN]-(:Entity)
DELETE m"""


# An entity's name is the one its mentions use most (ties: the first in sort order), so
# it does not depend on which article happened to be written first. A lone word joined to
# a full name across articles ("Frost" to David Frost) does not name the node.
REFRESH_NAMES_AND_ALIASES = """\
UNWIND $keys AS key
MATCH (e:Entity {key: key})-[m:MENTIONED_IN]->(:Article)
WITH e, m.name AS name,
     sum(CASE WHEN m.lone AND e.short IS NOT NULL THEN 0 ELSE m.count END) AS weight,
     sum(CASE WHEN m.lone THEN 1 ELSE 0 END) AS lone,
     sum(CASE WHEN m.lone AND coalesce(m.link, '') <> '' THEN 1 ELSE 0 END) AS links,
     sum(CASE WHEN m.lone AND m.read_as = $person THEN 1 ELSE 0 END) AS people,
     sum(CASE WHEN m.lone AND m.read_as = $place THEN 1 ELSE 0 END) AS places,
     sum(CASE WHEN m.full AND m.read_as = $person THEN 1 ELSE 0 END) AS full_people,
     sum(CASE WHEN m.full AND m.read_as <> $person THEN 1 ELSE 0 END) AS full_others
ORDER BY weight DESC, name
WITH e, collect(name)[0] AS name, sum(lone) AS lone, sum(links) AS links,
     sum(people) AS people, sum(places) AS places, sum(full_people) AS full_people,
     sum(full_others) AS full_others
MATCH (e)-[m:MENTIONED_IN]->(:Article)
UNWIND m.forms AS form
WITH e, name, lone, links, people, places, full_people, full_others, form
ORDER BY form
WITH e, name, lone, links, people, places, full_people, full_others,
     collect(DISTINCT form) AS aliases
SET e.name = name, e.aliases = aliases, e.lone_readers = lone, e.lone_links = links,
    e.lone_people = people, e.lone_places = places, e.full_people = full_people,
    e.full_others = full_others"""

# An article whose names were only retyped keeps the time it was ingested.
FINISH_ARTICLES = """\
UNWIND $rows AS row
MATCH (a:Article {id: row.id})
SET a.title = row.title, a.source = row.source, a.content_hash = row.content_hash,
    a.ingested_at = coalesce(row.ingested_at, $ingested_at), a.url = row.url,
    a.published_at = row.published_at, a.feed = row.feed, a.fetched_at = row.fetched_at,
    a.extracted = row.extracted"""

RECORD_RUN = """\
CREATE (r:IngestRun {id: $id})
SET r.started_at = $started_at, r.finished_at = $finished_at, r.status = $status,
    r.counts = $counts, r.rejected = $rejected
WITH r
UNWIND $articles AS article_id
MATCH (a:Article {id: article_id})
CREATE (r)-[:INGESTED]->(a)"""

# --- removing an article whose file is gone (`kg ingest --prune`) ------------------------

ARTICLES_UNDER = """\
MATCH (a:Article)
WHERE a.source STARTS WITH $prefix
RETURN a.id AS id
ORDER BY id"""

DELETE_ARTICLE = """\
MATCH (a:Article {id: $id})
REMOVE a:Article
DETACH DELETE a"""

DELETE_ALL = "MATCH (n) DETACH DELETE n"


# The labels the graph's nodes have: checked with `check_identifier` before they go into
# the text of another statement.
GRAPH_LABELS = "CALL db.labels() YIELD label RETURN label"


def nodes_lacking_label(label: str) -> str:
    """The nodes a match on `label` finds that do not carry it: none, unless a store kept
    a deleted node's label for the node that took its id (see RETRACT_STATEMENTS)."""
    checked = check_identifier(label)
    return f"MATCH (n:{checked}) WHERE NOT '{checked}' IN labels(n) RETURN count(n) AS n"


def drop_label_not_carried(label: str) -> str:
    """Clear the match on `label` of the nodes that do not carry it (see
    `nodes_lacking_label`): setting the label and removing it again does."""
    checked = check_identifier(label)
    return f"""\
MATCH (n:{checked})
WHERE NOT '{checked}' IN labels(n)
SET n:{checked}
REMOVE n:{checked}"""


def delete_orphan_entities(entity_types: Iterable[str]) -> str:
    """Entities of `$keys` that no article mentions any more, with their labels taken off
    first (see RETRACT_STATEMENTS); the type labels come from the ontology."""
    labels = "".join(f":{check_identifier(t)}" for t in sorted(entity_types))
    return f"""\
UNWIND $keys AS key
MATCH (e:Entity {{key: key}})
WHERE NOT (e)-[:MENTIONED_IN]->(:Article)
REMOVE e:Entity{labels}
DETACH DELETE e"""


def upsert_entities(entity_type: str | None) -> str:
    """Entities of one ontology type, and their MENTIONED_IN edges to the article of each
    row, for any number of articles. A label cannot be a parameter, so each type has its
    own statement; `None` writes entities whose type is not in the ontology, unlabelled."""
    label = "" if entity_type is None else f"\nSET e:{check_identifier(entity_type)}"
    return f"""\
UNWIND $rows AS row
MERGE (e:Entity {{key: row.key}})
ON CREATE SET e.name = row.name, e.type = row.type, e.short = row.short{label}
WITH e, row
MATCH (a:Article {{id: row.article}})
MERGE (e)-[m:MENTIONED_IN]->(a)
SET m.count = row.count, m.forms = row.forms, m.name = row.name,
    m.read_as = row.read_as, m.lone = row.lone, m.full = row.full, m.link = row.link,
    m.called = row.called,
    m.context = row.context"""


# Statements of any predicate, with their evidence, for any number of articles.
UPSERT_STATEMENTS = """\
UNWIND $rows AS row
MATCH (s:Entity {key: row.subject})
MATCH (o:Entity {key: row.object})
MATCH (a:Article {id: row.article})
MERGE (st:Statement {id: row.id})
SET st.predicate = row.predicate, st.role = row.role, st.past = row.past,
    st.sentence = row.sentence,
    st.sentence_start = row.start, st.sentence_end = row.end,
    st.confidence = row.confidence, st.article = row.article,
    st.extractor = row.extractor, st.extractor_version = row.extractor_version,
    st.model = row.model, st.model_version = row.model_version
MERGE (st)-[:SUBJECT]->(s)
MERGE (st)-[:OBJECT]->(o)
MERGE (st)-[:EXTRACTED_FROM]->(a)"""


def upsert_relationships(predicate: str) -> str:
    """The typed entity-to-entity relationships of one predicate, each listing every
    article that supports it and the highest confidence of its statements (so questions
    need not join the statements to say how sure an edge is); one row per relationship,
    with this batch's articles."""
    # One row per relationship, not per statement: FalkorDB 4.16 evaluates the SET of
    # every row of one UNWIND against the state before the MERGE created it, so two rows
    # of a batch merging one relationship would each overwrite the other's articles.
    return f"""\
UNWIND $rows AS row
MATCH (s:Entity {{key: row.subject}})
MATCH (o:Entity {{key: row.object}})
MERGE (s)-[r:{check_identifier(predicate)}]->(o)
SET r.articles = coalesce(r.articles, []) +
    [article IN row.articles WHERE NOT article IN coalesce(r.articles, [])],
    r.confidence = CASE WHEN coalesce(r.confidence, 0.0) > row.confidence
                        THEN r.confidence ELSE row.confidence END"""


def neighbourhood(relation_types: Iterable[str], hops: int) -> str:
    """An entity and the entities within `hops` typed relationships of it.

    Path lengths cannot be parameters, so `hops` is checked and written in."""
    if not isinstance(hops, int) or not 1 <= hops <= 4:
        raise ValueError("hops must be a whole number from 1 to 4")
    types = "|".join(check_identifier(t) for t in sorted(relation_types))
    return f"""\
MATCH (e:Entity {{key: $key}})
OPTIONAL MATCH p = (e)-[:{types}*1..{hops}]-(:Entity)
RETURN e, p"""
