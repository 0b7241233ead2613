#!/usr/bin/env bash
# The whole test suite: builds dist/ unless it was built from the sources as they are
# (end-to-end tests start the real server process), then runs every Jest suite (or the
# paths given). PostgreSQL suites use TEST_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/test); with CI=true a missing server fails.
# KurrentDB and MongoDB contract suites run only when TEST_KURRENTDB_URL / TEST_MONGODB_URL
# name a server; their skip is announced here too, since Jest hides a skipped file's output.
#
# The whole suite runs in two lanes at once, each one suite at a time: the integration and
# end-to-end suites (many of them bound by timings: leases, races, restarts), and beside them
# the unit suites and the idle-statement suite, which need no timing (the idle suite counts
# the statements of processes that wait by design). The second lane uses the core the
# first leaves idle while its suites wait on timers.
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs --if-changed || exit 1
jest() { node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js --runInBand "$@"; }
summaries=()
status=0
if [ $# -gt 0 ]; then
  summaries+=("$(mktemp)")
  jest --json --outputFile="${summaries[0]}" "$@" || status=$?
else
  summaries+=("$(mktemp)" "$(mktemp)")
  SIDE_LANE='(^|/)(idle-statements\.e2e|(?!.*\.(int|e2e)\.spec\.ts$)[^/]*)\.spec\.ts$'
  jest --json --outputFile="${summaries[1]}" "$SIDE_LANE" > >(sed -u 's/^/[unit lane] /') 2>&1 &
  side=$!
  jest --json --outputFile="${summaries[0]}" --testPathIgnorePatterns "$SIDE_LANE" '/node_modules/' || status=$?
  wait "$side" || status=$?
fi
[ -n "${TEST_KURRENTDB_URL:-}" ] || echo "SKIPPED: KurrentDB event store contract suite — set TEST_KURRENTDB_URL to run it" >&2
[ -n "${TEST_MONGODB_URL:-}" ] || echo "SKIPPED: MongoDB read store contract suite — set TEST_MONGODB_URL to run it" >&2
# One plain closing line over both lanes: N passed, N failed, N skipped.
node -e 'let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);' "${summaries[@]}" || status=1
rm -f "${summaries[@]}"
exit $status
