#!/usr/bin/env bash
# Runs every benchmark with its default settings, one after the other (`npm run bench` builds
# first). Each prints its own table; figures and the commands behind them are in bench/README.md.
# Takes a while (the queue comparison alone runs several minutes); pass names to run only those:
#   npm run bench -- ingest mining-end-to-end
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for file in dist/bench/*.bench.js; do names+=("$(basename "$file" .bench.js)"); done
fi
for name in "${names[@]}"; do
  echo "=== bench/${name}.bench.ts"
  node "dist/bench/${name}.bench.js"
done
