import { Command } from 'commander';
import { apiClient, type ApiClient } from './api-client.js';
import { fields, print, type Io } from './output.js';
import { addTreasuryCommands } from './treasury-commands.js';
import { addPricingCommands } from './pricing-commands.js';
import { addVideoCommands } from './video-commands.js';
import { addRevenueCommands } from './revenue-commands.js';
import { addBatchCommands } from './batch-commands.js';
import { addRolloutCommands } from './rollout-commands.js';
import { addContractCommands } from './contract-commands.js';

const collect = (value: string, all: string[]) => [...all, value];

/** `--limit concurrent_videos=200`: numbers and booleans as such, `null` clears an override. */
export function parseLimits(pairs: string[]): Record<string, unknown> | undefined {
  if (!pairs.length) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const [k, v] = pair.split('=', 2);
      if (!k || v === undefined) throw new Error(`--limit expects key=value, got '${pair}'`);
      const value = v === 'null' ? null : v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v;
      return [k, value];
    }),
  );
}

const tenantRow = (t: Record<string, any>) => ({ id: t.id, name: t.name, status: t.status, plan: t.plan, billing: t.billing?.mode, created_at: t.created_at });

export function buildProgram(io: Io, env: NodeJS.ProcessEnv) {
  const client = (): ApiClient => apiClient(env.LEOMA_API_URL, env.LEOMA_API_KEY);
  const program = new Command('leoma')
    .description('Leoma CLI: videos with a tenant key; tenants, keys, billing and treasury with an operator key.')
    .storeOptionsAsProperties(false)
    .passCommandToAction(false);
  // Throw instead of exiting, so usage errors reach runCli; subcommands copy this when created.
  program.exitOverride();
  const tenants = program.command('tenants').description('create, list, show, suspend and resume tenants');
  tenants
    .command('create')
    .requiredOption('--name <name>', 'tenant name')
    .option('--plan <code>', 'free | starter | pro | enterprise', 'free')
    .option('--limit <key=value>', 'contract override, repeatable (e.g. concurrent_videos=200)', collect, [])
    .option('--billing <mode>', 'self_serve | invoice')
    .option('--net-days <n>', 'payment terms for invoice billing')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const body = {
        name: o.name,
        plan: o.plan,
        limit_overrides: parseLimits(o.limit),
        billing_mode: o.billing,
        net_days: o.netDays === undefined ? undefined : Number(o.netDays),
      };
      const t = await client().call('POST', '/v1/admin/tenants', body);
      print(io, o.json, t, () => fields({ ...tenantRow(t), net_days: t.billing?.net_days, overrides: t.limit_overrides, ...t.limits }));
    });
  tenants
    .command('list')
    .option('--status <status>', 'active | suspended')
    .option('--plan <code>')
    .option('--limit <n>', 'page size (1-100)', '20')
    .option('--starting-after <id>', 'cursor: the last id of the previous page')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const q = new URLSearchParams({
        limit: o.limit,
        ...(o.status ? { status: o.status } : {}),
        ...(o.plan ? { plan: o.plan } : {}),
        ...(o.startingAfter ? { starting_after: o.startingAfter } : {}),
      });
      const page = await client().call('GET', `/v1/admin/tenants?${q}`);
      print(io, o.json, page, () => page.data.map(tenantRow));
    });
  tenants
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o: Record<string, any>) => {
      const t = await client().call('GET', `/v1/admin/tenants/${encodeURIComponent(id)}`);
      print(io, o.json, t, () => fields({ ...tenantRow(t), net_days: t.billing?.net_days, overrides: t.limit_overrides, ...t.limits }));
    });
  for (const action of ['suspend', 'resume'] as const) {
    tenants
      .command(`${action} <id>`)
      .option('--json', 'print JSON')
      .action(async (id: string, o: Record<string, any>) => {
        const t = await client().call('POST', `/v1/admin/tenants/${encodeURIComponent(id)}/${action}`);
        print(io, o.json, t, () => [tenantRow(t)]);
      });
  }
  tenants
    .command('erase <id>')
    .description("delete all of a tenant's videos and files at once (usage and invoices stay); admin only, cannot be undone")
    .requiredOption('--confirm <id>', "the tenant's id again")
    .option('--json', 'print JSON')
    .action(async (id: string, o: Record<string, any>) => {
      // Each call is capped server-side; call until nothing is left.
      const total = { object: 'tenant_erasure', tenant_id: id, videos_deleted: 0, files_deleted: 0, has_more: true };
      while (total.has_more) {
        const r = await client().call('POST', `/v1/admin/tenants/${encodeURIComponent(id)}/erase`, { confirm: o.confirm });
        Object.assign(total, {
          tenant_id: r.tenant_id,
          videos_deleted: total.videos_deleted + r.videos_deleted,
          files_deleted: total.files_deleted + r.files_deleted,
          has_more: r.has_more,
        });
      }
      print(io, o.json, total, () => fields({ tenant: total.tenant_id, videos_deleted: total.videos_deleted, files_deleted: total.files_deleted }));
    });
  const keys = program.command('keys').description("create and revoke a tenant's API keys");
  keys
    .command('create <tenantId>')
    .option('--name <name>')
    .option('--mode <mode>', 'live | test', 'live')
    .option('--scopes <list>', 'comma-separated; default every scope')
    .option('--rate-limit <n>', 'requests per minute for this key')
    .option('--monthly-seconds <n>', 'video-seconds per month for this key')
    .option('--json', 'print JSON')
    .action(async (tenantId: string, o: Record<string, any>) => {
      const body = {
        name: o.name,
        mode: o.mode,
        scopes: o.scopes?.split(','),
        rate_limit_per_minute: o.rateLimit && Number(o.rateLimit),
        monthly_video_seconds: o.monthlySeconds && Number(o.monthlySeconds),
      };
      const k = await client().call('POST', `/v1/admin/tenants/${encodeURIComponent(tenantId)}/api-keys`, body);
      print(io, o.json, k, () => fields({ id: k.id, secret: k.secret, mode: k.mode, scopes: k.scopes.join(','), note: 'the secret is shown only now' }));
    });
  keys
    .command('revoke <tenantId> <keyId>')
    .option('--json', 'print JSON')
    .action(async (tenantId: string, keyId: string, o: Record<string, any>) => {
      const k = await client().call('DELETE', `/v1/admin/tenants/${encodeURIComponent(tenantId)}/api-keys/${encodeURIComponent(keyId)}`);
      print(io, o.json, k, () => [{ id: k.id, revoked_at: k.revoked_at }]);
    });
  const operators = program.command('operators').description('platform staff (admin key needed)');
  operators
    .command('create')
    .requiredOption('--name <name>')
    .requiredOption('--email <email>')
    .requiredOption('--role <role>', 'admin | sales | finance | support')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const op = await client().call('POST', '/v1/admin/operators', { name: o.name, email: o.email, role: o.role });
      print(io, o.json, op, () => fields({ id: op.id, role: op.role, key_id: op.key_id, secret: op.secret, note: 'the secret is shown only now' }));
    });
  operators
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const page = await client().call('GET', '/v1/admin/operators');
      print(io, o.json, page, () =>
        page.data.map((op: Record<string, unknown>) => ({ id: op.id, name: op.name, email: op.email, role: op.role, disabled_at: op.disabled_at })),
      );
    });
  const billing = program.command('billing').description('Stripe catalogue, invoice-billed subscriptions, reconciliation');
  billing
    .command('sync-catalog')
    .description('create or update the Stripe meter, products and prices for every sellable plan (idempotent)')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const r = await client().call('POST', '/v1/admin/billing/sync-catalog');
      print(io, o.json, r, () => r.plans.map((p: Record<string, unknown>) => ({ ...p, meter: r.meter_id })));
    });
  billing
    .command('subscribe <tenant>')
    .description('subscribe an invoice-billed tenant (send_invoice with its net days)')
    .option('--json', 'print JSON')
    .action(async (tenant: string, o: Record<string, any>) => {
      const r = await client().call('POST', `/v1/admin/billing/tenants/${encodeURIComponent(tenant)}/subscription`);
      print(io, o.json, r, () => fields(r));
    });
  billing
    .command('reconcile')
    .description('compare succeeded videos, usage rows, sent meter events and Stripe meter summaries; exits 1 when there is a gap')
    .requiredOption('--period <YYYY-MM>', 'calendar month, UTC')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const r = await client().call('GET', `/v1/admin/billing/reconcile?period=${encodeURIComponent(o.period)}`);
      const { gaps, ...counts } = r;
      print(io, o.json, r, () => [
        ...fields(counts),
        ...gaps.map((g: Record<string, unknown>) => ({ field: g.kind, value: `${g.tenant_id ?? g.event_id} ${g.video_id ?? ''} ${g.detail}` })),
      ]);
      if (gaps.length) throw new Error(`${gaps.length} gap(s) in ${o.period}`);
    });
  billing
    .command('reconcile-money')
    .description('compare every finalised invoice of the month with our ledger in money (lines, discount, tax apart, credits); exits 1 when an amount differs')
    .requiredOption('--period <YYYY-MM>', 'calendar month, UTC')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const r = await client().call('GET', `/v1/admin/billing/reconcile/money?period=${encodeURIComponent(o.period)}`);
      print(io, o.json, r, () => [
        ...r.invoices.map((i: Record<string, any>) => ({
          tenant: i.tenant_id,
          invoice: i.invoice,
          what: 'total',
          stripe: i.stripe.total,
          ours: i.ours.total,
          tax: i.stripe.tax,
          videos: '',
        })),
        ...r.differences.map((d: Record<string, any>) => ({
          tenant: d.tenant_id,
          invoice: d.invoice,
          what: d.line,
          stripe: d.stripe,
          ours: d.ours,
          tax: '',
          videos: d.videos.map((v: Record<string, unknown>) => v.video_id).join(' '),
        })),
      ]);
      if (r.differences.length) throw new Error(`${r.differences.length} difference(s) in ${o.period}`);
    });
  billing
    .command('events')
    .description('Stripe events received, newest first; --status unmatched lists those no tenant owns')
    .option('--status <status>', 'pending | failing | applied | ignored | unmatched')
    .option('--type <type>', 'e.g. invoice.paid')
    .option('--limit <n>', 'page size (1-100)', '20')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const q = new URLSearchParams({ limit: o.limit, ...(o.status ? { status: o.status } : {}), ...(o.type ? { type: o.type } : {}) });
      const page = await client().call('GET', `/v1/admin/billing/events?${q}`);
      print(io, o.json, page, () =>
        page.data.map((e: Record<string, unknown>) => ({
          id: e.id,
          type: e.type,
          object: e.object_id,
          status: e.status,
          reason: e.reason ?? e.last_error ?? '',
          received_at: e.received_at,
        })),
      );
    });
  addContractCommands(program, client, io, parseLimits);
  addRevenueCommands(program, client, io);
  addPricingCommands(program, client, io);
  addTreasuryCommands(program, client, io);
  addBatchCommands(program, client, io);
  addRolloutCommands(program, client, io);
  addVideoCommands(program, env, io);
  return program;
}
