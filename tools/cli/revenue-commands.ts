import { writeFile } from 'node:fs/promises';
import type commander from 'commander';
import type { ApiClient } from './api-client.js';
import { print, type Io } from './output.js';

/** The list filters, as --options, turned into the API's query parameters. */
function filters(cmd: commander.Command): commander.Command {
  return cmd
    .option('--tenant <id>', 'only this tenant')
    .option('--kind <kind>', 'invoice_paid | credit_purchase | refund | dispute_lost')
    .option('--currency <code>', 'ISO 4217, e.g. usd')
    .option('--from <iso>', 'occurred on or after (ISO 8601)')
    .option('--to <iso>', 'occurred before (ISO 8601)')
    .option('--period <YYYY-MM>', 'occurred in this calendar month (UTC)');
}

function query(o: Record<string, any>, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const all: Record<string, string | undefined> = {
    tenant_id: o.tenant,
    kind: o.kind,
    currency: o.currency,
    occurred_from: o.from,
    occurred_to: o.to,
    period: o.period,
    ...extra,
  };
  return new URLSearchParams(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/** `leoma revenue …`: finance reads the revenue ledger (a finance or admin operator key). */
export function addRevenueCommands(program: commander.Command, client: () => ApiClient, io: Io): void {
  const revenue = program.command('revenue').description('the revenue ledger: paid invoices, refunds, lost disputes (finance)');
  filters(revenue.command('list'))
    .description('entries, newest first')
    .option('--limit <n>', 'page size (1-100)', '20')
    .option('--starting-after <id>', 'cursor: the last id of the previous page')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const page = await client().call('GET', `/v1/admin/revenue?${query(o, { limit: o.limit, starting_after: o.startingAfter })}`);
      print(io, o.json, page, () =>
        page.data.map((e: Record<string, any>) => ({
          id: e.id,
          tenant: e.tenant_id,
          kind: e.kind,
          amount_minor: e.amount_minor,
          currency: e.currency,
          stripe: e.stripe_object_id,
          occurred_at: e.occurred_at,
        })),
      );
      if (!o.json && page.has_more) io.err(`more: --starting-after ${page.data.at(-1).id}`);
    });
  revenue
    .command('summary')
    .description('one month per currency: gross, refunds, disputes, net (minor units) and counts')
    .requiredOption('--period <YYYY-MM>', 'calendar month, UTC')
    .option('--tenant <id>', 'only this tenant')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const s = await client().call('GET', `/v1/admin/revenue/summary?${query({ period: o.period, tenant: o.tenant })}`);
      print(io, o.json, s, () => s.currencies);
    });
  filters(revenue.command('export'))
    .description('every matching entry as CSV, oldest first')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (o: Record<string, any>) => {
      const csv = await client().text(`/v1/admin/revenue?${query(o, { format: 'csv' })}`);
      if (o.output) {
        await writeFile(o.output, csv);
        io.err(`wrote ${csv.trim().split('\r\n').length - 1} entries to ${o.output}`);
      } else io.out(csv.trimEnd());
    });
}
