import type { OpenAPIObject } from '@nestjs/swagger';
import { ID_PREFIXES, type IdKind } from '../http/ids.js';
import { COLLECTION_KINDS } from './examples.js';

type Parameter = { name: string; in: string; description?: string };

/** What an id names, where the kind's name is not already the customer's word for it. */
const NOUNS: Partial<Record<IdKind, string>> = {
  apiKey: 'API key',
  webhookEndpoint: 'webhook endpoint',
  webhookDelivery: 'webhook delivery',
  modelCapability: 'model capability override',
  moderationEvent: 'moderation event',
  revenueEntry: 'revenue entry',
  spendAlert: 'spend alert',
  audit: 'audit entry',
  backend: 'GPU backend',
  user: 'member',
};

/** Path parameters that are not our ids, by the segment before them. */
const OTHER: Record<string, string> = {
  invoices: 'The Stripe invoice id (`in_…`).',
  periods: 'The month, `YYYY-MM` (UTC).',
  shared: 'The share link token, as in a results manifest made with `links=share`.',
  plans: "The plan's code, e.g. `starter`.",
  domains: 'The email domain, e.g. `example.com`.',
};

/**
 * Describes every path parameter that has no description, from the collection it names
 * (`/v1/videos/{id}` → "The video's id (`vid_…`)."), so an operation added tomorrow reads the same
 * as its siblings. A description written in a decorator always wins.
 */
export function withPathParameterDescriptions(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    const segments = path.split('/');
    for (const op of Object.values(item) as { parameters?: Parameter[] }[]) {
      for (const param of op?.parameters ?? []) {
        if (param.in !== 'path' || param.description) continue;
        const collection = segments[segments.indexOf(`{${param.name}}`) - 1] ?? '';
        const kind = COLLECTION_KINDS[collection];
        const description = kind ? `The ${NOUNS[kind] ?? kind}'s id (\`${ID_PREFIXES[kind]}_…\`).` : OTHER[collection];
        if (description) param.description = description;
      }
    }
  }
  return doc;
}
