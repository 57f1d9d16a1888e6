#!/usr/bin/env bash
# `npm test`: everything CI checks, in order. Extra arguments go to vitest, e.g.
#   npm test -- test/app/harness.test.ts
# The last line printed is always "N passed, N failed" (", N skipped" when any were skipped).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step_system_deps() {
  bash scripts/ensure-system-deps.sh
}

# Runs vitest, then prints the summary line from its JSON report. Fails when vitest fails, when any
# test or test file failed, and when no test ran at all (a crash or a filter that matched nothing
# must not pass as green).
step_tests() {
  local report_dir status=0 verdict=0
  report_dir="$(mktemp -d)"

  npx vitest run --reporter=default --reporter=json --outputFile.json="$report_dir/vitest.json" "$@" \
    || status=$?

  node - "$report_dir/vitest.json" "$status" <<'NODE' || verdict=$?
const { existsSync, readFileSync } = require('node:fs');
const [reportPath, vitestStatus] = process.argv.slice(2);

if (!existsSync(reportPath)) {
  console.error(`vitest exited with status ${vitestStatus} without writing a report`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
// A file that fails to load (syntax error, throwing import, failing beforeAll) has no test results
// of its own; count it as a failure so the summary agrees with the exit status.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed'),
);
for (const file of brokenFiles) console.error(`failed to run: ${file.name}\n${file.message ?? ''}`);

const passed = report.numPassedTests;
const failed = report.numFailedTests + brokenFiles.length;
const skipped = report.numPendingTests + report.numTodoTests;
if (passed + failed === 0) console.error('no tests ran');
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 || vitestStatus !== '0' ? 1 : 0);
NODE
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
