import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { FakeSubtensor } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundingBody, transferOnChain } from '../support/treasury.js';
import { dataUri, makeImage } from '../support/images.js';

// Item 9 of issue 19: every mutating operation of the published API leaves exactly one audit row
// (with the request's id), or is named below with the reason it does not.
const spec = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string }>>;
};
const mutating = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, op]) => ({ method: method.toUpperCase(), path, id: op.operationId })),
);

/**
 * Not audited, on purpose. (The Stripe webhook route is not in the spec: it is authenticated by
 * Stripe's signature, not by a principal, and each change it makes is audited with the `stripe` actor.)
 */
const EXCEPTIONS: Record<string, string> = {
  createVideo:
    "a tenant's workload, not a change of configuration: each video has its own record (the row and its events); auditing it would also serialise a tenant's submissions on the audit chain's lock",
  cancelVideo: 'the same: the cancel is the video.canceled event of the video',
  testDestination: "a probe: writes and deletes one object in the customer's bucket and changes nothing of ours",
  redeliverVideo:
    "the same: a copy of one video's files started again; its delivery row counts the attempts and video.delivered / video.delivery_failed record the outcome",
  createBatch: "a tenant's workload like createVideo: the batch row and its items are the record, and batch.* events follow it",
  cancelBatch: 'the same: the batch row records when and its items which were canceled',
  retryFailedBatchItems: 'the same: the replaced attempts stay as videos of the batch, the new ones are its items',
  createFile: "a tenant's upload: the file row is its record",
  createFileUploads: "the same, for presigned uploads: each pending file row is its upload's record",
  completeFileUpload: "the same: the file row's status and checked facts record the completion",
  createCheckout:
    "only a Stripe-hosted session is made; its one local change, the Stripe customer, is audited (billing.customer_created) when it happens, and the subscription arrives through Stripe's webhook, audited with the stripe actor",
  createBillingPortal: 'the same: a Stripe-hosted session; the customer, when first made, is audited',
  estimateVideo: 'a read with a body: nothing is created or changed',
  estimateVideoBatch: 'the same, for a list of requests',
  createCreditCheckout:
    'like createCheckout: a Stripe-hosted session; the customer, when first made, is audited, and the paid credit is granted through the webhook, audited as billing.credits_purchased by the stripe actor',
  adminRollbackRollout:
    'needs a kept earlier king with a READY GPU server: test/reliability/king-rollover.e2e.test.ts rolls back through the CLI and checks its rollout.rollback audit row',
  signUp:
    'creates only a sign-up link (and its mail) until the link is opened; opening it audits tenant.created, member.added and api_key.created with the new user as actor (test/people/sign-up.e2e.test.ts)',
  requestEmailLink: 'a sign-in link and its mail; no configuration changes',
  requestOperatorEmailLink: 'the same, for staff',
  verifyLink:
    "needs the emailed token: audited as session.signed_in in the tenant's log (after a sign-up with the tenant, member and keys it makes); test/people/sign-in-events.e2e.test.ts checks the rows",
  signOut: 'session-only (this file calls with keys): audited as session.signed_out, checked in test/people/sign-in-events.e2e.test.ts',
  switchSessionTenant: "moves the caller's own session; nothing of the tenant changes",
  revokeSession: 'session-only: audited as session.revoked, checked in test/people/sign-in-events.e2e.test.ts',
  startSso: 'a single sign-on in flight (the sso_requests row); the membership it may make is audited (member.added, via sso) when the provider answers',
  acceptInvitation:
    "audited as member.added with two api_key.created rows (the member's session keys) and session.signed_in, and needs the emailed token: test/people/members.e2e.test.ts checks the rows",
  changeMemberRole: 'needs a member who accepted an emailed invitation: test/people/members.e2e.test.ts checks its member.role_changed row',
  removeMember: 'the same: test/people/members.e2e.test.ts checks its member.removed row',
  inviteMember: 'audited as invitation.created; test/people/members.e2e.test.ts checks the row (this file runs without a mailbox)',
  revokeInvitation: 'audited as invitation.revoked in the same transaction as the change (test/people/members.e2e.test.ts withdraws one)',
  acceptClaimLink:
    "needs the mailed token: audited as claim_link.accepted with the membership, the tenant's first keys and the session.signed_in they make (test/people/claim-links.e2e.test.ts checks the rows)",
  configureSso: 'audited as sso.configured: test/people/sso.e2e.test.ts checks the row against a real OpenID provider',
  removeSso: 'audited as sso.removed in the same transaction as the delete',
  verifySsoDomain:
    'needs a DNS server answering the TXT record: audited as sso.domain_verified, checked in test/people/sso.e2e.test.ts against one on 127.0.0.1',
  startOperatorSso:
    'a staff sign-on in flight (the sso_requests row); the operator it may make or change is audited when the provider answers (test/people/operator-sso.e2e.test.ts)',
  treasuryVerifyBurn:
    'needs a burn on chain: test/treasury/treasury-burns.e2e.test.ts verifies one against a subtensor test node and checks its treasury_burn.verified row',
};

/** Operations that write more than one row, each row one object's record. */
const ROWS: Record<string, { rows: number; why: string }> = {
  adminCreateOperator: {
    rows: 2,
    why: 'an operator is created with its first key: operator.created and operator_key.created, so each object has its own record',
  },
};

interface Call {
  params?: Record<string, string>;
  query?: string;
  json?: unknown;
  /** The caller; the bootstrap operator unless given. */
  key?: string;
}

let app: TestApp;
let stub: StripeStub;
let node: FakeSubtensor;
let tenant: { tenantId: string; key: string; keyId: string };
let finance: string;
/** One connection for the counts, so each case costs its requests and little more. */
let db: pg.Client;
const sql = async (text: string, params?: unknown[]) => (await db.query(text, params)).rows as Record<string, any>[];
const square = {
  model: 'acme/audited',
  sizes: { '480p': { '16:9': { width: 832, height: 480 } } },
  fps: 16,
  frames: { min: 17, max: 81, step: 4, offset: 1 },
  max_prompt_chars: 500,
  honours: { seed: true, negative_prompt: true, camera: false },
};
const json = async <T = Record<string, any>>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;
const op = (path: string, init: RequestInit & { json?: unknown; key?: string } = {}) => app.request(path, { key: app.operatorKey, ...init });
const endpoint = async () => json(app.request('/v1/webhook-endpoints', { method: 'POST', key: tenant.key, json: { url: 'http://127.0.0.1:9/hook' } }));
/** The app's own bucket on the shared s3rver, standing in for a customer's store. */
const destinationBody = () => {
  const s3 = inject('s3');
  return { bucket: process.env.S3_BUCKET, endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey, prefix: 'audit/' };
};
const destination = async () => json(app.request('/v1/destinations', { method: 'POST', key: tenant.key, json: destinationBody() }));
const newOperator = async () =>
  json(op('/v1/admin/operators', { method: 'POST', json: { name: 'Audited', email: `a-${Date.now()}-${Math.random()}@leoma.test`, role: 'support' } }));
const planLimits = {
  included_video_seconds: 10,
  overage_allowed: true,
  requests_per_minute: 60,
  concurrent_videos: 1,
  max_duration_seconds: 5,
  max_resolution: '480p',
  max_batch_size: 10,
  retention_days: 7,
  queue_priority: 5,
};
const newPlan = async () =>
  (
    await json(
      op('/v1/admin/plans', { method: 'POST', json: { code: `plan_${Date.now()}_${Math.floor(Math.random() * 1e6)}`, name: 'P', limits: planLimits } }),
    )
  ).code as string;
const backend = async () => json(op('/v1/admin/backends', { method: 'POST', json: { name: 'b', url: 'http://127.0.0.1:9', model: 'acme/x' } }));

/** How to make each audited operation succeed: fixtures first (their own rows are not counted), then the call. */
const CASES: Record<string, () => Promise<Call>> = {
  createApiKey: async () => ({ key: tenant.key, json: { mode: 'live', scopes: ['videos:read'] } }),
  revokeApiKey: async () => ({
    key: tenant.key,
    params: { id: (await json(app.request('/v1/api-keys', { method: 'POST', key: tenant.key, json: { scopes: ['videos:read'] } }))).id },
  }),
  rollApiKey: async () => ({
    key: tenant.key,
    params: { id: (await json(app.request('/v1/api-keys', { method: 'POST', key: tenant.key, json: { scopes: ['videos:read'] } }))).id },
    json: {},
  }),
  adminCreateTenant: async () => ({ json: { name: 'Audited', plan: 'starter' } }),
  adminUpdateTenant: async () => ({ params: { id: (await app.tenant()).tenantId }, json: { name: 'Renamed' } }),
  adminSuspendTenant: async () => ({ params: { id: (await app.tenant()).tenantId }, json: { reason: 'audit' } }),
  adminResumeTenant: async () => {
    const { tenantId } = await app.tenant();
    await op(`/v1/admin/tenants/${tenantId}/suspend`, { method: 'POST', json: { reason: 'audit' } });
    return { params: { id: tenantId } };
  },
  adminCreateTenantApiKey: async () => ({ params: { id: tenant.tenantId }, json: { mode: 'test' } }),
  adminRevokeTenantApiKey: async () => {
    const t = await app.tenant();
    return { params: { id: t.tenantId, keyId: t.keyId } };
  },
  adminCreateOperator: async () => ({ json: { name: 'New', email: 'new@leoma.test', role: 'support' } }),
  addSsoDomain: async () => ({ key: tenant.key, json: { domain: 'audited.example' } }),
  removeSsoDomain: async () => {
    await app.request('/v1/sso/domains', { method: 'POST', key: tenant.key, json: { domain: 'dropped.example' } });
    return { key: tenant.key, params: { domain: 'dropped.example' } };
  },
  adminCreateClaimLink: async () => ({ params: { id: tenant.tenantId }, json: { email: 'claimer@audited.example' } }),
  adminRevokeClaimLink: async () => {
    const link = await json(op(`/v1/admin/tenants/${tenant.tenantId}/claim-links`, { method: 'POST', json: { email: 'withdrawn@audited.example' } }));
    return { params: { id: tenant.tenantId, linkId: link.id } };
  },
  adminCreateOperatorKey: async () => ({ params: { id: (await newOperator()).id } }),
  adminDisableOperator: async () => ({ params: { id: (await newOperator()).id } }),
  adminRevokeOperatorKey: async () => {
    const { id } = await newOperator();
    const key = await json(op(`/v1/admin/operators/${id}/keys`, { method: 'POST' }));
    return { params: { id, keyId: key.id } };
  },
  adminHoldRollout: async () => ({ params: { digest: await rollout() } }),
  adminReleaseRollout: async () => ({ params: { digest: await rollout() } }),
  adminForceRollout: async () => ({ params: { digest: await rollout() } }),
  adminCreateBackend: async () => ({ json: { name: 'gpu', url: 'http://127.0.0.1:9', model: 'acme/x', auth_header: 'Bearer secret' } }),
  adminUpdateBackend: async () => ({ params: { id: (await backend()).id }, json: { url: 'http://127.0.0.1:10' } }),
  adminDeleteBackend: async () => ({ params: { id: (await backend()).id } }),
  adminPutModelCapabilities: async () => ({ json: square }),
  adminDeleteModelCapabilities: async () => ({
    params: { id: (await json(op('/v1/admin/model-capabilities', { method: 'PUT', json: { ...square, model: 'acme/audited-2' } }))).id },
  }),
  createWebhookEndpoint: async () => ({ key: tenant.key, json: { url: 'http://127.0.0.1:9/hook' } }),
  createDestination: async () => ({ key: tenant.key, json: destinationBody() }),
  deleteDestination: async () => ({ key: tenant.key, params: { id: (await destination()).id } }),
  updateWebhookEndpoint: async () => ({ key: tenant.key, params: { id: (await endpoint()).id }, json: { description: 'changed' } }),
  deleteWebhookEndpoint: async () => ({ key: tenant.key, params: { id: (await endpoint()).id } }),
  rotateWebhookEndpointSecret: async () => ({ key: tenant.key, params: { id: (await endpoint()).id }, json: {} }),
  recoverWebhookEndpoint: async () => ({
    key: tenant.key,
    params: { id: (await endpoint()).id },
    query: `since=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`,
  }),
  redeliverEvent: async () => {
    await endpoint();
    await app.request('/v1/videos', { method: 'POST', key: tenant.key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
    const events = await json(app.request('/v1/events?limit=1', { key: tenant.key }));
    return { key: tenant.key, params: { id: events.data[0].id } };
  },
  createBillingAlert: async () => ({ key: tenant.key, json: { metric: 'amount', threshold: 500 } }),
  deleteBillingAlert: async () => ({
    key: tenant.key,
    params: { id: (await json(app.request('/v1/billing/alerts', { method: 'POST', key: tenant.key, json: { metric: 'seconds', threshold: 60 } }))).id },
  }),
  adminGrantCredits: async () => ({ params: { id: tenant.tenantId }, json: { amount: 1000, note: 'audited' } }),
  adminSyncCatalog: async () => ({}),
  adminCreatePlan: async () => ({
    json: {
      code: `audited_${Date.now()}`,
      name: 'Audited',
      limits: planLimits,
      price: { currency: 'usd', base_amount: 100, overage_per_second: { '480p': 1 } },
    },
  }),
  adminUpdatePlan: async () => ({ params: { code: await newPlan() }, json: { name: 'Renamed' } }),
  adminPublishPlanPrice: async () => ({ params: { code: await newPlan() }, json: { currency: 'usd', base_amount: 200, overage_per_second: { '480p': 2 } } }),
  adminRetirePlan: async () => ({ params: { code: await newPlan() } }),
  // Without effective_from the version starts at the next period boundary: its one row now, the tenant's limits then.
  adminCreateContractVersion: async () => ({ params: { id: (await app.tenant()).tenantId }, json: { included_video_seconds: 1000, po_number: 'PO-1' } }),
  adminRenewContract: async () => {
    const { tenantId } = await app.tenant();
    await op(`/v1/admin/tenants/${tenantId}/contract`, { method: 'POST', json: { term_end: new Date(Date.now() + 365 * 86_400_000).toISOString() } });
    return { params: { id: tenantId }, json: {} };
  },
  adminSubscribeTenant: async () => {
    await op('/v1/admin/billing/sync-catalog', { method: 'POST' });
    const created = await json(
      op('/v1/admin/tenants', { method: 'POST', json: { name: 'Invoiced', plan: 'enterprise', billing_mode: 'invoice', net_days: 30 } }),
    );
    const key = await json(op(`/v1/admin/tenants/${created.id}/api-keys`, { method: 'POST', json: { mode: 'live' } }));
    // The Stripe customer is made (and audited) first, so the subscription is the one change.
    expect((await app.request('/v1/billing/portal', { method: 'POST', key: key.secret })).status).toBe(201);
    return { params: { id: created.id } };
  },
  treasuryCreateFunding: async () => {
    await allocate(app, { amountMinor: 10_000_000n });
    // A funding is proven by its transfer into the coldkey: one on the test node (this file needs the runtime metadata for it).
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const funder = keyring.addFromUri('//Dave');
    node.author.fund(funder.address, 10n ** 12n);
    const transfer = await transferOnChain(node, funder, [{ to: keyring.addFromUri('//Alice').address, amount: 25_000_000n }]);
    return { key: finance, json: fundingBody(transfer, 1_000, 'usd', '400', 'audit-1') };
  },
  treasuryRunBurn: async () => ({ key: finance }),
  treasuryCreatePolicy: async () => ({
    key: finance,
    json: { share_bps: 1500, burn_interval_ms: 0, max_slippage_bps: 100, min_burn_rao: '3000000', reason: 'audited' },
  }),
  // A month long past: closing it freezes nothing the other cases write (they are dated now).
  treasuryClosePeriod: async () => ({ key: finance, params: { period: '2020-01' } }),
  deleteVideo: async () => {
    const created = await json(
      app.request('/v1/videos', { method: 'POST', key: tenant.key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } }),
    );
    return { key: tenant.key, params: { id: created.id } };
  },
  deleteFile: async () => {
    const form = new FormData();
    form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
    return { key: tenant.key, params: { id: (await json(app.request('/v1/files', { method: 'POST', key: tenant.key, body: form }))).id } };
  },
  // One tenant.erased entry per call (the objects it deletes are not audited one by one).
  adminEraseTenant: async () => {
    const { tenantId } = await app.tenant();
    return { params: { id: tenantId }, json: { confirm: tenantId } };
  },
  adminPutTenantModeration: async () => ({ params: { id: (await app.tenant()).tenantId }, json: { blocklist: { brand: ['acme'] }, fail_mode: 'closed' } }),
};

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_audit' });
  await cryptoWaitReady();
  node = new FakeSubtensor();
  const coldkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
  app = await startTestApp({
    env: {
      ...stub.serviceEnv(),
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      DESTINATION_ENDPOINT_ALLOWLIST: '127.0.0.1',
      SUBTENSOR_WS_URL: await node.start(),
      TREASURY_COLDKEY: coldkey,
    },
  });
  tenant = await app.tenant();
  finance = await financeKey(app);
  db = new pg.Client({ connectionString: app.db.url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await app?.close();
  await stub?.close();
  await node?.stop();
});

/** A digest the rollout tracks (as the reconcile loop would have written it when it was crowned). */
let rollouts = 0;
async function rollout(): Promise<string> {
  const digest = `sha256:${(++rollouts).toString(16).padStart(64, '0')}`;
  await sql("insert into model_rollouts (id, repo, digest, state, state_since) values ($1, 'acme/king', $2, 'fetching', now())", [
    `rol_audit${rollouts}`,
    digest,
  ]);
  return digest;
}

describe('audit coverage over openapi/openapi.json', () => {
  it('names every mutating operation: audited with a case below, or an exception with its reason', () => {
    expect(mutating.length).toBeGreaterThan(30);
    expect(mutating.map((m) => m.id).sort()).toEqual([...Object.keys(CASES), ...Object.keys(EXCEPTIONS)].sort());
  });

  it.each(mutating.filter((m) => CASES[m.id]))('$method $path ($id) writes exactly one audit row (or the count in ROWS)', async ({ method, path, id }) => {
    const call = await CASES[id]!();
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => call.params?.[name] ?? `missing-${name}`) + (call.query ? `?${call.query}` : '');
    const [{ n: before }] = await sql('select count(*)::int as n from audit_log');
    const res = await app.request(url, { method, key: call.key ?? app.operatorKey, ...(call.json !== undefined ? { json: call.json } : {}) });
    expect(res.status, JSON.stringify(await res.clone().text())).toBeLessThan(300);
    const [{ n: after }] = await sql('select count(*)::int as n from audit_log');
    const expected = ROWS[id]?.rows ?? 1;
    expect(after - before, `audit rows written by ${id}`).toBe(expected);
    const [{ n: ofRequest }] = await sql('select count(*)::int as n from audit_log where request_id = $1', [res.headers.get('request-id')]);
    expect(ofRequest).toBe(expected);
    // Secrets never enter the log.
    expect(JSON.stringify(await sql('select before, after from audit_log where request_id = $1', [res.headers.get('request-id')]))).not.toMatch(
      /Bearer secret|whsec_|lk_(live|test|op)_[A-Za-z0-9]{20}/,
    );
  });
});
