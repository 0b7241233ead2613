#!/usr/bin/env bash
# The whole test suite: builds dist/ unless it was built from the sources as they are
# (end-to-end tests start the real server process), then runs every Jest suite (or the
# paths given). PostgreSQL suites use TEST_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/test); with CI=true a missing server fails.
# KurrentDB and MongoDB contract suites run only when TEST_KURRENTDB_URL / TEST_MONGODB_URL
# name a server; their skip is announced here too, since Jest hides a skipped file's output.
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs --if-changed || exit 1
summary=$(mktemp)
node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js --runInBand --json --outputFile="$summary" "$@"
status=$?
[ -n "${TEST_KURRENTDB_URL:-}" ] || echo "SKIPPED: KurrentDB event store contract suite — set TEST_KURRENTDB_URL to run it" >&2
[ -n "${TEST_MONGODB_URL:-}" ] || echo "SKIPPED: MongoDB read store contract suite — set TEST_MONGODB_URL to run it" >&2
# One plain closing line: N passed, N failed, N skipped.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$summary" 2>/dev/null
rm -f "$summary"
exit $status
