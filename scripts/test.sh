#!/usr/bin/env bash
# `npm test`: everything CI checks, in order. Extra arguments go to vitest, e.g.
#   npm test -- test/app/harness.test.ts
# The last line printed is always "N passed, N failed" (", N skipped" when any were skipped).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step_system_deps() {
  bash scripts/ensure-system-deps.sh
}

# Runs vitest with its JSON report in $1 (then the rest: vitest's arguments); never fails itself,
# the summary judges the report.
run_vitest() {
  local report="$1"
  shift
  npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || echo "$?" >"$report.status"
}

# Prints one "N passed, N failed" line summing the reports given ("label=path" each). Fails when a
# vitest run failed, when any test or test file failed, and when no test ran at all (a crash or a
# filter that matched nothing must not pass as green).
summarize() {
  node - "$@" <<'NODE'
const { existsSync, readFileSync } = require('node:fs');
let passed = 0;
let failed = 0;
let skipped = 0;
let runFailed = false;
const line = (p, f, s) => `${p} passed, ${f} failed${s > 0 ? `, ${s} skipped` : ''}`;
for (const arg of process.argv.slice(2)) {
  const [label, reportPath] = arg.split('=');
  const status = existsSync(`${reportPath}.status`) ? readFileSync(`${reportPath}.status`, 'utf8').trim() : '0';
  if (status !== '0') runFailed = true;
  if (!existsSync(reportPath)) {
    console.error(`${label}: vitest exited with status ${status} without writing a report`);
    runFailed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  // A file that fails to load (syntax error, throwing import, failing beforeAll) has no test results
  // of its own; count it as a failure so the summary agrees with the exit status.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed'),
  );
  for (const file of brokenFiles) console.error(`${label}: failed to run: ${file.name}\n${file.message ?? ''}`);
  const p = report.numPassedTests;
  const f = report.numFailedTests + brokenFiles.length;
  const s = report.numPendingTests + report.numTodoTests;
  if (process.argv.length > 3) console.log(`${label}: ${line(p, f, s)}`);
  passed += p;
  failed += f;
  skipped += s;
}
if (passed + failed === 0) console.error('no tests ran');
console.log(line(passed, failed, skipped));
process.exit(failed > 0 || passed === 0 || runFailed ? 1 : 0);
NODE
}

# The main suite, then (when no arguments narrow the run) the PgBouncer job: the PostgreSQL-heavy
# end-to-end files again with every app behind a transaction-pooling PgBouncer
# (vitest.pgbouncer.config.ts). The last line sums both.
step_tests() {
  local report_dir verdict=0
  report_dir="$(mktemp -d)"
  run_vitest "$report_dir/main.json" "$@"
  if (($# == 0)); then
    echo 'PgBouncer job: the PostgreSQL e2e subset behind PgBouncer in transaction mode (vitest.pgbouncer.config.ts)'
    run_vitest "$report_dir/pgbouncer.json" --config vitest.pgbouncer.config.ts
    summarize "main suite=$report_dir/main.json" "PgBouncer job=$report_dir/pgbouncer.json" || verdict=$?
  else
    summarize "tests=$report_dir/main.json" || verdict=$?
  fi
  rm -rf "$report_dir"
  return "$verdict"
}

# Strict type errors fail CI even where SWC (which strips types) would run the tests.
step_typecheck() {
  if ! npx tsc -p tsconfig.json --noEmit || ! npx tsc -p console/tsconfig.json; then
    echo 'typecheck failed: no tests were run'
    echo '0 passed, 1 failed'
    return 1
  fi
}

# Formatting and lint rules (Biome, biome.jsonc): a file that is not formatted or breaks a rule fails
# here, before any test runs. `npm run format` fixes what can be fixed.
step_lint() {
  if ! npx biome ci --diagnostic-level=error .; then
    echo 'lint failed (npm run format; npm run lint): no tests were run'
    echo '0 passed, 1 failed'
    return 1
  fi
}

# The tests run on the pinned LTS that production runs (the `node` dev dependency puts it first on
# the PATH of npm scripts), not on whatever older Node the machine carries.
step_node_version() {
  local version
  version="$(node --version)"
  echo "node ${version} ($(command -v node))"
  if ((${version:1:2} < 24)); then
    echo "node ${version} is older than the pinned LTS; run the tests through npm (npm test) so node_modules/.bin/node is used"
    echo '0 passed, 1 failed'
    return 1
  fi
}

main() {
  step_system_deps
  step_node_version
  step_typecheck
  step_lint
  step_tests "$@"
}

main "$@"
