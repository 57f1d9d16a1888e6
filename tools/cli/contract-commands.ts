import type commander from 'commander';
import type { ApiClient } from './api-client.js';
import { fields, print, type Io } from './output.js';

const collect = (value: string, all: string[]) => [...all, value];
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
/** `--overage 480p=1 --overage 720p=2` → { '480p': 1, '720p': 2 }. */
function rates(pairs: string[]): Record<string, number> | undefined {
  if (!pairs.length) return undefined;
  return Object.fromEntries(
    pairs.map((p) => {
      const [k, v] = p.split('=', 2);
      if (!k || v === undefined || !/^-?\d+$/.test(v)) throw new Error(`--overage expects resolution=minor_units, got '${p}'`);
      return [k, Number(v)];
    }),
  );
}
/** `--tax-id eu_vat:DE123` → { type, value }. */
function taxIds(pairs: string[]) {
  if (!pairs.length) return undefined;
  return pairs.map((p) => {
    const i = p.indexOf(':');
    if (i < 1) throw new Error(`--tax-id expects type:value, got '${p}'`);
    return { type: p.slice(0, i), value: p.slice(i + 1) };
  });
}
const versionRow = (v: Record<string, any>) => ({
  version: v.version,
  effective_from: v.effective_from,
  currency: v.currency,
  base_amount: v.base_amount,
  overage_per_second: v.overage_per_second,
});
const contractRow = (c: Record<string, any>) => ({
  version: c.version,
  effective_from: c.effective_from,
  plan: c.plan,
  included: c.included_video_seconds,
  overage: c.overage_per_second,
  base: c.base_amount,
  commitment: c.commitment_amount,
  discount_bps: c.discount_bps,
  term: `${c.term_start} → ${c.term_end ?? 'open'}`,
  po: c.po_number,
  active: c.activated_at ? 'yes' : 'no',
});

/** `leoma plans …` and `leoma contracts …`: plans as data and per-tenant contracts (sales; finance and support read). */
export function addContractCommands(
  program: commander.Command,
  client: () => ApiClient,
  io: Io,
  parseLimits: (pairs: string[]) => Record<string, unknown> | undefined,
): void {
  const plans = program.command('plans').description('plans: limits and price versions');
  plans
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const page = await client().call('GET', '/v1/admin/plans');
      print(io, o.json, page, () => page.data.map((p: Record<string, any>) => ({ code: p.code, name: p.name, self_serve: p.self_serve, ...p.limits })));
    });
  plans
    .command('show <code>')
    .option('--json', 'print JSON')
    .action(async (code: string, o: Record<string, any>) => {
      const p = await client().call('GET', `/v1/admin/plans/${encodeURIComponent(code)}`);
      print(io, o.json, p, () => [
        ...fields({ code: p.code, name: p.name, retired_at: p.retired_at, ...p.limits }),
        ...p.versions.map((v: Record<string, any>) => ({ field: `version ${v.version}`, value: JSON.stringify(versionRow(v)) })),
      ]);
    });
  plans
    .command('create <code>')
    .requiredOption('--name <name>')
    .requiredOption('--limit <key=value>', 'every limit, repeatable (included_video_seconds=…, overage_allowed=…, …)', collect, [])
    .option('--self-serve', 'sold through Checkout')
    .option('--currency <iso>', 'with --base and --overage: its first price')
    .option('--base <minor>', 'monthly base price, minor units')
    .option('--overage <res=minor>', 'overage per second, repeatable (480p=1)', collect, [])
    .option('--json', 'print JSON')
    .action(async (code: string, o: Record<string, any>) => {
      const price = o.base !== undefined ? { currency: o.currency ?? 'usd', base_amount: Number(o.base), overage_per_second: rates(o.overage) } : undefined;
      const p = await client().call('POST', '/v1/admin/plans', { code, name: o.name, self_serve: Boolean(o.selfServe), limits: parseLimits(o.limit), price });
      print(io, o.json, p, () => fields({ code: p.code, name: p.name, versions: p.versions.length }));
    });
  plans
    .command('update <code>')
    .option('--name <name>')
    .option('--limit <key=value>', 'a limit, repeatable', collect, [])
    .option('--json', 'print JSON')
    .action(async (code: string, o: Record<string, any>) => {
      const p = await client().call('PATCH', `/v1/admin/plans/${encodeURIComponent(code)}`, { name: o.name, limits: parseLimits(o.limit) });
      print(io, o.json, p, () => fields({ code: p.code, name: p.name, ...p.limits }));
    });
  plans
    .command('price <code>')
    .description("publish the plan's next price; its tenants without a contract keep the price they pay now (grandfathered)")
    .requiredOption('--base <minor>', 'monthly base price, minor units')
    .requiredOption('--overage <res=minor>', 'overage per second, repeatable (480p=1)', collect, [])
    .option('--currency <iso>', "the plan's currency", 'usd')
    .option('--effective-from <iso>', 'default: the next period boundary')
    .option('--json', 'print JSON')
    .action(async (code: string, o: Record<string, any>) => {
      const v = await client().call('POST', `/v1/admin/plans/${encodeURIComponent(code)}/versions`, {
        currency: o.currency,
        base_amount: Number(o.base),
        overage_per_second: rates(o.overage),
        effective_from: o.effectiveFrom,
      });
      print(io, o.json, v, () => fields({ ...versionRow(v), grandfathered: v.grandfathered.join(',') }));
    });
  plans
    .command('retire <code>')
    .description('retire a plan no tenant uses')
    .option('--json', 'print JSON')
    .action(async (code: string, o: Record<string, any>) => {
      const p = await client().call('POST', `/v1/admin/plans/${encodeURIComponent(code)}/retire`);
      print(io, o.json, p, () => fields({ code: p.code, retired_at: p.retired_at }));
    });

  const contracts = program.command('contracts').description("a tenant's contract: rate card, commitment, discount, term");
  contracts
    .command('show <tenant>')
    .option('--json', 'print JSON')
    .action(async (tenant: string, o: Record<string, any>) => {
      const r = await client().call('GET', `/v1/admin/tenants/${encodeURIComponent(tenant)}/contract`);
      print(io, o.json, r, () => r.data.map(contractRow));
    });
  contracts
    .command('set <tenant>')
    .description('write the next contract version (starts at the next period boundary unless --effective-from)')
    .option('--plan <code>')
    .option('--effective-from <iso>')
    .option('--currency <iso>')
    .option('--base <minor>', 'monthly base fee')
    .option('--included <seconds>', 'included video-seconds per period')
    .option('--overage <res=minor>', 'overage per second, repeatable', collect, [])
    .option('--commitment <minor>', 'minimum spend per period')
    .option('--discount-bps <n>', 'discount, basis points')
    .option('--term-start <iso>')
    .option('--term-end <iso>')
    .option('--auto-renew')
    .option('--po <number>')
    .option('--tax-id <type:value>', 'repeatable', collect, [])
    .option('--billing-email <email>')
    .option('--limit <key=value>', "a limit beyond the plan's, repeatable", collect, [])
    .option('--json', 'print JSON')
    .action(async (tenant: string, o: Record<string, any>) => {
      const body = {
        plan: o.plan,
        effective_from: o.effectiveFrom,
        currency: o.currency,
        base_amount: num(o.base),
        included_video_seconds: num(o.included),
        overage_per_second: rates(o.overage),
        commitment_amount: num(o.commitment),
        discount_bps: num(o.discountBps),
        term_start: o.termStart,
        term_end: o.termEnd,
        auto_renew: o.autoRenew ? true : undefined,
        po_number: o.po,
        tax_ids: taxIds(o.taxId),
        billing_email: o.billingEmail,
        limits: parseLimits(o.limit),
      };
      const c = await client().call('POST', `/v1/admin/tenants/${encodeURIComponent(tenant)}/contract`, body);
      print(io, o.json, c, () => fields(contractRow(c)));
    });
  contracts
    .command('renew <tenant>')
    .option('--reprice', "onto the plan's current price")
    .option('--term-end <iso>')
    .option('--json', 'print JSON')
    .action(async (tenant: string, o: Record<string, any>) => {
      const c = await client().call('POST', `/v1/admin/tenants/${encodeURIComponent(tenant)}/contract/renew`, {
        reprice: Boolean(o.reprice),
        term_end: o.termEnd,
      });
      print(io, o.json, c, () => fields(contractRow(c)));
    });
}
