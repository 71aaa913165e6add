// The GraphQL-over-HTTP conformance audit of graphql-http (its `serverAudits`, lib/audits) against a running
// permitpath: `node audit.mjs http://127.0.0.1:8000/graphql`. One JSON line per audit on stdout
// ({"id", "name", "status": "ok" | "notice" | "warn" | "error", "reason"}), exit 0 once every audit ran;
// tests/api/test_graphql_http_audit.py judges the lines. Exit 2 on a usage error, 1 when an audit throws
// (graphql-http throws only on a fatal error, e.g. the server is unreachable).
//
// Imported from the package root: graphql-http's `exports` map does not list "./lib/audits", whose exports the
// root re-exports whole.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL (the GraphQL endpoint, e.g. http://127.0.0.1:8000/graphql)');
  process.exit(2);
}

// Node's own fetch (Node >= 18); nothing else is needed and nothing is downloaded.
const audits = serverAudits({ url, fetchFn: fetch });
for (const audit of audits) {
  // One at a time, in the package's order: the lines read like the package's own report.
  const result = await audit.fn();
  const line = { id: result.id, name: result.name, status: result.status, reason: result.reason ?? null };
  process.stdout.write(JSON.stringify(line) + '\n');
}
