// Lookup indexes for the questions people ask in Neo4j Browser.
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name);
CREATE INDEX statement_predicate IF NOT EXISTS FOR (s:Statement) ON (s.predicate);
