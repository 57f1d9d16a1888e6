import { writeFile } from 'node:fs/promises';
import type commander from 'commander';
import type { ApiClient } from './api-client.js';
import { fields, print, type Io } from './output.js';
import { addTreasuryCloseCommands } from './treasury-close-commands.js';

const SETTLED = ['finalized', 'failed', 'expired', 'dry_run'];
const burnRow = (b: Record<string, any>) => ({
  id: b.id,
  status: b.status,
  amount_rao: b.amount_rao,
  alpha_burned: b.alpha_burned,
  block: b.block_number === null ? '' : `${b.block_number}-${b.extrinsic_index}`,
  verified: b.verification ? (b.verification.ok ? 'ok' : 'MISMATCH') : '',
  failure: b.failure_reason ?? '',
});

/** `leoma treasury …`: finance's view of the buy-and-burn (a finance or admin operator key). */
export function addTreasuryCommands(program: commander.Command, client: () => ApiClient, io: Io, pollMs = 1_000): void {
  const treasury = program.command('treasury').description('the buy-and-burn treasury: summary, burns, verify, export (finance)');
  treasury
    .command('summary')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const s = await client().call('GET', '/v1/treasury/summary');
      const { object: _object, currencies, ...rest } = s;
      // Fiat per currency, one field per line (`eur revenue_minor`): two currencies are never added; TAO totals after.
      const perCurrency = (currencies as Record<string, unknown>[]).flatMap(({ currency, ...c }) =>
        fields(c).map((f) => ({ ...f, field: `${String(currency)} ${String(f.field)}` })),
      );
      print(io, o.json, s, () => [...perCurrency, ...fields(rest)]);
    });
  treasury
    .command('burns')
    .option('--limit <n>', 'page size (1-100)', '20')
    .option('--starting-after <id>', 'cursor: the last id of the previous page')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const q = new URLSearchParams({ limit: o.limit, ...(o.startingAfter ? { starting_after: o.startingAfter } : {}) });
      const page = await client().call('GET', `/v1/treasury/burns?${q}`);
      print(io, o.json, page, () => page.data.map(burnRow));
    });
  treasury
    .command('burn')
    .description('run the burn job now and follow the burn until the chain settles it')
    .option('--no-wait', 'return once the burn is planned')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const run = await client().call('POST', '/v1/treasury/burns');
      let burn = run.burn as Record<string, any> | null;
      if (!burn) return print(io, o.json, run, () => fields({ result: run.result, dry_run: run.dry_run }));
      while (o.wait && !SETTLED.includes(burn.status)) {
        await new Promise((r) => setTimeout(r, pollMs));
        burn = await client().call('GET', `/v1/treasury/burns/${encodeURIComponent(burn.id)}`);
        const era = burn.expires_at_block ? `, valid until block ${burn.expires_at_block}` : '';
        io.err(`${burn.id}: ${burn.status}${burn.block_number ? ` in block ${burn.block_number}` : ''}${era} — waiting for finality`);
      }
      print(io, o.json, burn, () => [burnRow(burn!)]);
    });
  treasury
    .command('verify <burnId>')
    .description("re-read the burn's block and events and compare them with the record")
    .option('--json', 'print JSON')
    .action(async (id: string, o: Record<string, any>) => {
      const b = await client().call('POST', `/v1/treasury/burns/${encodeURIComponent(id)}/verify`);
      print(io, o.json, b, () => [
        {
          id: b.id,
          ok: b.verification.ok,
          block: b.block_hash,
          mismatches: b.verification.mismatches.map((m: Record<string, unknown>) => `${m.field}: recorded ${m.recorded}, on chain ${m.on_chain}`).join('; '),
        },
      ]);
      if (!b.verification.ok) process.exitCode = 2;
    });
  treasury
    .command('export')
    .description('every burn as CSV')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (o: Record<string, any>) => {
      const csv = await client().text('/v1/treasury/burns/export?format=csv');
      if (o.output) {
        await writeFile(o.output, csv);
        io.err(`wrote ${csv.trim().split('\r\n').length - 1} burns to ${o.output}`);
      } else io.out(csv.trimEnd());
    });
  addTreasuryCloseCommands(treasury, client, io);
}
