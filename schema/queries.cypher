// Saved questions. Each starts with a comment line "// name: what it answers".
// They run as written in Neo4j Browser and through `kg query`.

// who-met-whom: who met or hosted whom, and in which articles
MATCH (a:Person)-[r:MEETS]->(b:Person)
RETURN a.name AS person, b.name AS met, r.articles AS articles
ORDER BY person, met;

// who-works-where: people and the organizations they work for, and how sure
MATCH (p:Person)-[r:WORKS_FOR]->(o:Organization)
RETURN p.name AS person, o.name AS organization, size(r.articles) AS articles, r.confidence AS confidence
ORDER BY person, organization;

// positions: who holds or held (past) which position, for which country, and how sure
MATCH (p:Person)<-[:SUBJECT]-(s:Statement {predicate: 'HOLDS_POSITION'})-[:OBJECT]->(x:Entity)
WITH p, s, x, coalesce(s.past, false) AS past
RETURN p.name AS person, s.role AS role, x.name AS of, past, max(s.confidence) AS confidence
ORDER BY person, of, role;

// most-mentioned: the entities mentioned in the most articles
MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article)
RETURN e.name AS entity, e.type AS type, count(a) AS articles, sum(m.count) AS mentions
ORDER BY articles DESC, mentions DESC, entity
LIMIT 10;

// evidence: the sentence behind every typed edge, with its article
MATCH (s:Entity)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(o:Entity)
MATCH (st)-[:EXTRACTED_FROM]->(a:Article)
RETURN s.name AS subject, st.predicate AS predicate, o.name AS object,
       st.sentence AS sentence, a.id AS article
ORDER BY subject, predicate, object;

// sure-relations: relations a pattern stated, or the trained model with confidence 0.8 or more
MATCH (s:Entity)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(o:Entity)
WHERE st.confidence >= 0.8 OR st.extractor STARTS WITH 'patterns:'
RETURN s.name AS subject, st.predicate AS predicate, o.name AS object,
       count(st) AS statements, max(st.confidence) AS confidence
ORDER BY confidence DESC, subject, predicate, object;

// shared-entities: the 25 pairs of articles with the most entities in common (those named in over 50 articles, like the BBC, left out: they pair with everything)
MATCH (e:Entity)-[:MENTIONED_IN]->(a:Article)
WITH e, collect(a.id) AS ids
WHERE size(ids) <= 50
UNWIND ids AS first
UNWIND ids AS second
WITH first, second, e
WHERE first < second
RETURN first, second, collect(e.name) AS shared, count(e) AS n
ORDER BY n DESC, first, second
LIMIT 25;

// articles-per-entity: which articles mention each person
MATCH (p:Person)-[:MENTIONED_IN]->(a:Article)
RETURN p.name AS person, collect(a.title) AS articles
ORDER BY person;

// advisers: who advises whom, with the sentence that says so
MATCH (a:Person)<-[:SUBJECT]-(s:Statement {predicate: 'ADVISES'})-[:OBJECT]->(b:Person)
RETURN a.name AS adviser, b.name AS advises, s.sentence AS evidence
ORDER BY adviser;

// quoted-by: who gave quotes to which outlet, and in which article
MATCH (p:Person)<-[:SUBJECT]-(s:Statement {predicate: 'SPOKE_TO'})-[:OBJECT]->(o:Organization)
MATCH (s)-[:EXTRACTED_FROM]->(a:Article)
RETURN p.name AS person, o.name AS outlet, a.title AS article
ORDER BY person, outlet;

// last-run: what the most recent recorded ingest run did, and the articles it wrote
MATCH (r:IngestRun)
WITH r ORDER BY r.started_at DESC LIMIT 1
OPTIONAL MATCH (r)-[:INGESTED]->(a:Article)
RETURN r.id AS run, r.status AS status, r.counts AS counts, r.rejected AS rejected,
       collect(a.title) AS articles;
