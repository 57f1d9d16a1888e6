import { statusesOf, type ErrorCatalogue } from '../platform/http/error-catalogue.js';
import { httpErrors } from '../platform/http/http.errors.js';
import { authErrors } from '../core/auth/auth.errors.js';
import { keysErrors } from '../keys/keys.errors.js';
import { limitsErrors } from '../limits/limits.errors.js';
import { filesErrors } from '../files/files.errors.js';
import { videosErrors } from '../videos/videos.errors.js';
import { webhooksErrors } from '../webhooks/webhooks.errors.js';
import { destinationsErrors } from '../destinations/destinations.errors.js';
import { idempotencyErrors } from '../idempotency/idempotency.errors.js';
import { operatorsErrors } from '../operators/operators.errors.js';
import { plansErrors } from '../plans/plans.errors.js';
import { backendsErrors } from '../backends/backends.errors.js';
import { modelsErrors } from '../model-capabilities/models.errors.js';
import { billingErrors } from '../billing/billing.errors.js';
import { treasuryErrors } from '../treasury/treasury.errors.js';
import { treasuryProofErrors } from '../treasury/treasury-proofs.errors.js';
import { retentionErrors } from '../retention/retention.errors.js';
import { moderationErrors } from '../moderation/moderation.errors.js';
import { pricingErrors } from '../usage/pricing.errors.js';
import { batchesErrors } from '../batches/index.js';
import { rolloutErrors } from '../rollout/index.js';
import { contractsErrors } from '../contracts/contracts.errors.js';
import { peopleErrors } from '../people/people.errors.js';
import { mailErrors } from '../mail/mail.errors.js';

/** Every module's problem codes; a module with new codes adds its catalogue here. */
export const errorCatalogues: ErrorCatalogue[] = [
  httpErrors,
  authErrors,
  keysErrors,
  limitsErrors,
  filesErrors,
  videosErrors,
  webhooksErrors,
  destinationsErrors,
  idempotencyErrors,
  operatorsErrors,
  plansErrors,
  backendsErrors,
  billingErrors,
  treasuryErrors,
  treasuryProofErrors,
  modelsErrors,
  batchesErrors,
  pricingErrors,
  retentionErrors,
  moderationErrors,
  rolloutErrors,
  contractsErrors,
  peopleErrors,
  mailErrors,
];

export interface ErrorCodeRow {
  code: string;
  statuses: readonly number[];
  module: string;
  when: string;
}

/** All codes, each once, in catalogue order; two modules claiming one code is a mistake. */
export function errorCodeRows(catalogues: ErrorCatalogue[] = errorCatalogues): ErrorCodeRow[] {
  const seen = new Map<string, string>();
  const rows: ErrorCodeRow[] = [];
  for (const { module, codes } of catalogues) {
    for (const [code, spec] of Object.entries(codes)) {
      if (seen.has(code)) throw new Error(`problem code '${code}' is declared by both ${seen.get(code)} and ${module}`);
      seen.set(code, module);
      rows.push({ code, statuses: statusesOf(spec), module, when: spec.when });
    }
  }
  return rows;
}

/** The HTTP status of a catalogued code, for ProblemFilter's DomainError mapping. */
export function statusOfCode(catalogues: ErrorCatalogue[] = errorCatalogues): (code: string) => number | undefined {
  const statuses = new Map(errorCodeRows(catalogues).map((r) => [r.code, r.statuses[0]!]));
  return (code) => statuses.get(code);
}

/** The README's error-code table (between the error-codes markers), rendered from the catalogues. */
export function errorCodeTable(rows: ErrorCodeRow[] = errorCodeRows()): string {
  const lines = ['| code | status | module | when |', '| --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| \`${r.code}\` | ${r.statuses.join(' / ')} | ${r.module} | ${r.when} |`);
  return lines.join('\n');
}
