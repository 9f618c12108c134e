"""The Cypher the load stage reads the graph with to type and join names across
articles (flows/load_readings.py): how the stored articles read the names a batch
touches. Only parameters carry data."""

# Which of these nodes some article reads as a lone word: only their names can be
# resolved across articles, so only theirs are counted (STORED_READINGS scans every
# mention of a name, and common names have thousands). A lone word joined to a full name
# hangs from the full name's node, found by its short form. `links`: the lone readings
# that may join a full name (a surname, an acronym); a graph written before the count
# counts every lone reading.
LONE_READ_KEYS = """\
UNWIND $keys AS key
MATCH (e:Entity {key: key})
WITH e
WHERE e.lone_readers > 0 AND e.short IS NULL
RETURN e.key AS key, coalesce(e.lone_people, e.lone_readers) AS people,
       coalesce(e.lone_places, 0) AS places,
       coalesce(e.lone_links, e.lone_readers) AS links"""

LONE_READ_SHORTS = """\
UNWIND $shorts AS short
MATCH (e:Entity {short: short})
WITH e
WHERE e.lone_readers > 0
RETURN e.short AS short, coalesce(e.lone_people, e.lone_readers) AS people,
       coalesce(e.lone_links, e.lone_readers) AS links"""

# How many articles mention each of these nodes.
ARTICLES_OF_KEYS = """\
UNWIND $keys AS key
MATCH (e:Entity {key: key})
OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(:Article)
RETURN e.key AS key, count(m) AS articles"""

# Full names some article reads as a person and some as another type: only theirs are
# typed across articles (flows/across_types.py), so only theirs are read (FULL_READINGS).
FULL_READ_KEYS = """\
UNWIND $keys AS key
MATCH (e:Entity {key: key})
WITH e
WHERE e.full_people > 0 OR e.full_others > 0
RETURN e.key AS key, e.full_people AS people, e.full_others AS others"""

# Each article's reading of these full names: the type it gave, whether it calls the name
# by its short form too, and the node it hangs from now.
FULL_READINGS = """\
UNWIND $keys AS key
MATCH (e:Entity {key: key})
WITH e
MATCH (e)-[m:MENTIONED_IN]->(a:Article)
WHERE m.full AND NOT a.id IN $exclude
RETURN e.key AS key, m.read_as AS read_as, coalesce(m.called, false) AS called,
       collect(a.id) AS articles"""

# How the articles read these names, counted: per node and type given, the articles,
# and the lone readings (the ones the cross-article rules change: the article, its link
# kind and its name). Graphs written before `read_as` existed count as they stand.
# The WITH keeps FalkorDB on the key index: with the filter on the same MATCH it scanned
# every Article once per key (26 s against 0.1 s for 4,000 keys in 1,200 articles).
STORED_READINGS = """\
UNWIND $keys AS key
MATCH (e:Entity {key: key})
WITH e
MATCH (e)-[m:MENTIONED_IN]->(a:Article)
WHERE NOT a.id IN $exclude
WITH e, coalesce(m.read_as, e.type) AS read_as, coalesce(m.lone, false) AS lone, m, a
RETURN e.key AS key, e.type AS type, read_as, count(a) AS articles,
       collect(CASE WHEN lone THEN {id: a.id, link: m.link, name: m.name,
                                    forms: m.forms, context: m.context} END) AS lone"""

# The full names that may go by these short forms (a surname, an acronym): per node, the
# articles that name it in full, those that also call it by the short form, and the lone
# readings joined to it (as STORED_READINGS gives them).
STORED_FULL_NAMES = """\
UNWIND $shorts AS short
MATCH (e:Entity {short: short})
WITH e
MATCH (e)-[m:MENTIONED_IN]->(a:Article)
WHERE NOT a.id IN $exclude
WITH e, coalesce(m.lone, false) AS lone, coalesce(m.called, false) AS called, m, a
RETURN e.key AS key, e.type AS type,
       sum(CASE WHEN lone THEN 0 ELSE 1 END) AS articles,
       sum(CASE WHEN called AND NOT lone THEN 1 ELSE 0 END) AS called,
       collect(CASE WHEN lone THEN {id: a.id, link: m.link, name: m.name, forms: m.forms,
                                    read_as: m.read_as, context: m.context} END) AS lone"""

# Which of these names the articles that give a full name name too: the shared context
# that lets a lone surname or acronym join it.
SHARED_CONTEXT = """\
UNWIND $pairs AS pair
MATCH (k:Entity {key: pair.key})
WITH k, pair
MATCH (k)-[m:MENTIONED_IN]->(a:Article)
WHERE NOT coalesce(m.lone, false) AND NOT a.id IN $exclude
WITH k, pair, a
MATCH (a)<-[n:MENTIONED_IN]-(o:Entity)
WHERE o.key IN pair.context AND NOT coalesce(n.lone, false)
RETURN k.key AS key, collect(DISTINCT o.key) AS shared"""

# What the load stage needs to write these articles again from their own reading.
STORED_READING_ARTICLES = """\
UNWIND $ids AS id
MATCH (a:Article {id: id})
WITH a
WHERE a.extracted IS NOT NULL
RETURN a.id AS id, a.title AS title, a.source AS source, a.content_hash AS content_hash,
       a.url AS url, a.published_at AS published_at, a.feed AS feed,
       a.fetched_at AS fetched_at, a.ingested_at AS ingested_at, a.extracted AS extracted"""
