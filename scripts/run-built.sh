#!/usr/bin/env bash
# Runs a compiled entry point of this repo (e.g. dist/tools/cli/leoma.js) with the given arguments,
# compiling first when dist/ is missing or older than the TypeScript sources, so `npm run leoma`
# works in a fresh clone and after a `git pull` without a separate `npm run build`.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
entry="$repo/$1"
shift
if [[ ! -f $entry || -n $(find "$repo/src" "$repo/tools" "$repo/scripts" "$repo/tsconfig.build.json" -name '*.ts' -newer "$entry" -print -quit 2>/dev/null) ]]; then
  echo "compiling (dist/ is missing or older than the sources)…" >&2
  (cd "$repo" && npx tsc -p tsconfig.build.json)
fi
exec node --enable-source-maps "$entry" "$@"
