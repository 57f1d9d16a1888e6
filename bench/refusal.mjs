/**
 * A scenario whose answers were more than `maxShare` non-2xx or errors measured refusals (429s,
 * 402s, a missing backend), not work: its numbers are dropped and `refused` says why; bench/run.mjs
 * then fails. Any other row comes back as it was.
 */
export function refusal(row, maxShare) {
  const failed = row.non2xx + row.errors;
  if (row.total > 0 && failed <= maxShare * row.total) return row;
  const share = row.total > 0 ? ((100 * failed) / row.total).toFixed(1) : '100';
  return {
    name: row.name,
    round: row.round,
    scenario: row.scenario,
    total: row.total,
    non2xx: row.non2xx,
    errors: row.errors,
    refused: `${failed} of ${row.total} answers non-2xx or failed (${share} %, at most ${100 * maxShare} % allowed)`,
  };
}
