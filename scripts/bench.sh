#!/usr/bin/env bash
# `npm run bench` (bench/README.md): installs what is missing, builds the production output and runs
# bench/run.mjs. With BENCH_DIST set (the smoke test passes the suite's shared build) the build is
# not repeated.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-system-deps.sh
if [[ -z "${BENCH_DIST:-}" ]]; then npm run build; fi
exec node bench/run.mjs
