// Lints Cypher with Neo4j's own linter, offline, as Cypher 5 (the dialect of Neo4j 5).
// stdin:  [{"name": str, "query": str, "params": [str, ...]}, ...]
// stdout: [{"name": str, "diagnostics": [{"severity": n, "message": str, "offsets": {...}}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let items;
try {
  items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (!Array.isArray(items)) throw new Error('expected a JSON array');
} catch (err) {
  process.stderr.write(`cypher-lint: bad input: ${err.message}\n`);
  process.exit(2);
}

const results = items.map(({ name, query, params = [] }) => {
  const dbSchema = {
    defaultLanguage: 'CYPHER 5',
    // Declared so that the linter does not report them as missing.
    parameters: Object.fromEntries(params.map((p) => [p, null])),
  };
  const { diagnostics } = lintCypherQuery(query, dbSchema);
  return {
    name,
    diagnostics: diagnostics.map(({ severity, message, offsets }) => ({ severity, message, offsets })),
  };
});
process.stdout.write(JSON.stringify(results));
