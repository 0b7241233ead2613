#!/usr/bin/env bash
# The whole test suite: builds dist/ (end-to-end tests start the real server process),
# then runs every Jest suite. PostgreSQL suites use TEST_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/test); with CI=true a missing server fails.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
exec node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js --runInBand "$@"
