import { writeFile } from 'node:fs/promises';
import type commander from 'commander';
import type { ApiClient } from './api-client.js';
import { fields, print, type Io } from './output.js';

const alertRow = (a: Record<string, any>) => ({ id: a.id, metric: a.metric, threshold: a.threshold, hard_cap: a.hard_cap, fired_at: a.fired_at ?? '' });

/** `leoma usage export`, `leoma billing alerts …`, `leoma credits …`: what things cost. */
export function addPricingCommands(program: commander.Command, client: () => ApiClient, io: Io): void {
  const usage = program.command('usage').description('usage rows with their cost');
  usage
    .command('export')
    .description('every usage row of a time range as CSV or JSON lines; all tenants with an operator key (or --tenant), your own with a tenant key')
    .option('--tenant <id>', 'one tenant (operator key)')
    .option('--format <csv|jsonl>', 'output format', 'csv')
    .option('--from <iso>', 'inclusive start (default: start of this month, UTC)')
    .option('--to <iso>', 'exclusive end (default: now)')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--mine', "the calling tenant key's own usage (GET /v1/usage/export)")
    .action(async (o: Record<string, any>) => {
      const q = new URLSearchParams({ format: o.format });
      if (o.from) q.set('from', o.from);
      if (o.to) q.set('to', o.to);
      if (o.tenant && !o.mine) q.set('tenant_id', o.tenant);
      const text = await client().text(`${o.mine ? '/v1/usage/export' : '/v1/admin/usage/export'}?${q}`);
      if (o.out) {
        await writeFile(o.out, text);
        io.out(`wrote ${o.out}`);
      } else io.out(text.replace(/\r?\n$/, ''));
    });

  const billing = program.commands.find((c) => c.name() === 'billing') ?? program.command('billing');
  const alerts = billing.command('alerts').description('spend thresholds and hard caps of the calling tenant key (billing:read; billing:write to change)');
  alerts
    .command('list', { isDefault: true })
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const r = await client().call('GET', '/v1/billing/alerts');
      print(io, o.json, r, () => [
        ...r.data.map(alertRow),
        { id: 'period', metric: `${r.period_amount} ${r.currency}`, threshold: `${r.period_seconds} s`, hard_cap: '', fired_at: '' },
      ]);
    });
  alerts
    .command('add')
    .requiredOption('--metric <amount|seconds>', 'amount (minor units) or seconds, per calendar month')
    .requiredOption('--threshold <n>', 'the value that fires billing.threshold_reached')
    .option('--hard-cap', 'also refuse new videos that would go over it')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const a = await client().call('POST', '/v1/billing/alerts', { metric: o.metric, threshold: Number(o.threshold), hard_cap: Boolean(o.hardCap) });
      print(io, o.json, a, () => fields(alertRow(a)));
    });
  alerts.command('remove <id>').action(async (id: string) => {
    await client().call('DELETE', `/v1/billing/alerts/${encodeURIComponent(id)}`);
    io.out(`removed ${id}`);
  });

  const credits = program.command('credits').description('prepaid credit');
  credits
    .command('grant <tenant>')
    .description('grant credit to a tenant (enterprise deals, promotions; finance or sales operator); audited')
    .requiredOption('--amount <minor>', 'minor units of the billing currency (cents for usd)')
    .option('--expires-at <iso>', 'nothing is drawn after this instant')
    .option('--note <text>', 'why; shown to the tenant')
    .option('--json', 'print JSON')
    .action(async (tenant: string, o: Record<string, any>) => {
      const r = await client().call('POST', `/v1/admin/tenants/${encodeURIComponent(tenant)}/credits`, {
        amount: Number(o.amount),
        expires_at: o.expiresAt,
        note: o.note,
      });
      print(io, o.json, r, () => fields({ tenant, available: r.available, expired: r.expired, currency: r.currency, grants: r.grants.length }));
    });
}
