#!/usr/bin/env bash
# `npm run dev`: the whole service on embedded defaults (PostgreSQL, Redis, s3rver, reference GPU
# backends, api + worker). Data stays in .data/ between runs; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-system-deps.sh
npx tsc -p tsconfig.build.json
# The browser console at /console (src/console serves dist/console).
npx vite build --config console/vite.config.ts --logLevel warn
exec node --enable-source-maps dist/tools/dev/dev.js
