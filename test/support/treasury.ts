import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AllocationsService, type RevenueEntryLike } from '../../src/treasury/allocations.service.js';
import type { TestApp } from './test-app.js';

/** A finance operator's key, created through the admin API as an admin would. */
export async function financeKey(app: TestApp): Promise<string> {
  const res = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: 'Finance', email: `finance-${Date.now()}@leoma.test`, role: 'finance' } });
  if (res.status !== 201) throw new Error(`finance operator not created: ${res.status}`);
  return ((await res.json()) as { secret: string }).secret;
}

let seq = 0;
/** A revenue entry as billing records it, allocated through the treasury's own allocator. */
export async function allocate(app: TestApp, entry: Partial<RevenueEntryLike> & { amountMinor: bigint }): Promise<string | null> {
  const full: RevenueEntryLike = { id: `rev_test${Date.now()}${seq++}`, tenantId: 'ten_test', kind: 'invoice_paid', currency: 'usd', stripeInvoiceId: `in_${seq}`, ...entry };
  const db = app.api.get<DataSource>(getDataSourceToken());
  const allocation = await db.transaction((m) => app.api.get(AllocationsService).allocate(m, full));
  return allocation?.id ?? null;
}

/** Polls a burn until it leaves the given statuses. */
export async function waitForBurn(app: TestApp, key: string, id: string, until: (b: Record<string, any>) => boolean, timeoutMs = 20_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const burn = (await (await app.request(`/v1/treasury/burns/${id}`, { key })).json()) as Record<string, any>;
    if (until(burn)) return burn;
    if (Date.now() > deadline) throw new Error(`burn ${id} still ${burn.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
