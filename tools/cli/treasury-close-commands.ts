import { writeFile } from 'node:fs/promises';
import type commander from 'commander';
import type { ApiClient } from './api-client.js';
import { fields, print, type Io } from './output.js';

const policyRow = (p: Record<string, any>) => ({
  version: p.version,
  share_bps: p.share_bps,
  burn_interval_ms: p.burn_interval_ms,
  max_slippage_bps: p.max_slippage_bps,
  min_burn_rao: p.min_burn_rao,
  effective_from: p.effective_from,
  created_by: p.created_by,
  reason: p.reason,
});

/** `leoma treasury policies|policy set|close|statement`: the burn policy and the month close (finance). */
export function addTreasuryCloseCommands(treasury: commander.Command, client: () => ApiClient, io: Io): void {
  treasury
    .command('policies')
    .description('burn policy versions, newest first, and the one in effect')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const list = await client().call('GET', '/v1/treasury/policies');
      print(io, o.json, list, () =>
        list.data.map((p: Record<string, any>) => ({ ...policyRow(p), in_effect: p.version === list.in_effect.version ? 'yes' : '' })),
      );
    });
  const policy = treasury.command('policy').description('change the burn policy (a new version, audited)');
  policy
    .command('set')
    .description('add a policy version; unspecified values are kept from the version in effect')
    .requiredOption('--reason <text>', 'why: kept with the version and in the audit log')
    .option('--share-bps <n>', 'share of revenue to buy-and-burn, basis points')
    .option('--interval-ms <n>', 'burn schedule in ms (0: only when asked)')
    .option('--max-slippage-bps <n>', 'slippage cap, basis points')
    .option('--min-burn-rao <n>', 'smallest burn, RAO')
    .option('--effective-from <iso>', 'when it takes effect (default now)')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const current = (await client().call('GET', '/v1/treasury/policies')).in_effect as Record<string, any>;
      const created = await client().call('POST', '/v1/treasury/policies', {
        share_bps: o.shareBps === undefined ? current.share_bps : Number(o.shareBps),
        burn_interval_ms: o.intervalMs === undefined ? current.burn_interval_ms : Number(o.intervalMs),
        max_slippage_bps: o.maxSlippageBps === undefined ? current.max_slippage_bps : Number(o.maxSlippageBps),
        min_burn_rao: o.minBurnRao ?? current.min_burn_rao,
        ...(o.effectiveFrom ? { effective_from: o.effectiveFrom } : {}),
        reason: o.reason,
      });
      print(io, o.json, created, () => fields(policyRow(created)));
    });
  treasury
    .command('close <period>')
    .description('close a month (YYYY-MM): freeze it and its statement')
    .option('--json', 'print JSON')
    .action(async (period: string, o: Record<string, any>) => {
      const p = await client().call('POST', `/v1/treasury/periods/${encodeURIComponent(period)}/close`);
      print(io, o.json, p, () =>
        fields({ period: p.period, statement_sha256: p.statement_sha256, merkle_root: p.merkle_root, allocations: p.allocation_count }),
      );
    });
  treasury
    .command('statement <period>')
    .description("a closed month's statement (the JSON is the text hashed on chain)")
    .option('--format <format>', 'json or csv', 'json')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (period: string, o: Record<string, any>) => {
      const text = await client().text(`/v1/treasury/periods/${encodeURIComponent(period)}/statement?format=${encodeURIComponent(o.format)}`);
      if (o.output) {
        await writeFile(o.output, text);
        io.err(`wrote the ${period} statement to ${o.output}`);
      } else io.out(text.trimEnd());
    });
}
