import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { problemComponents, withProblemResponses, type ProblemCodeSpec } from './problem-responses.js';
import { EVENT_SCHEMA, webhookOperations } from './webhook-payloads.js';
import { withMultipartForms } from './multipart-forms.js';
import { withParameterExamples } from './examples.js';
import { withPathParameterDescriptions } from './path-parameter-descriptions.js';

/**
 * Top-level tags in the order a reader meets them (what integrators use first; operator APIs
 * last). A tag not listed here still appears, before `admin`, so a new module is never hidden.
 */
const TAGS: { name: string; description: string }[] = [
  { name: 'videos', description: 'Create videos from an image and a prompt, follow them, download them.' },
  { name: 'files', description: 'Upload a start-frame image once and reuse its `file_` id.' },
  { name: 'batches', description: 'Many videos from one CSV or JSON request, with a manifest of the results.' },
  { name: 'webhooks', description: 'Endpoints that receive signed events; the payloads are under `x-webhooks`.' },
  { name: 'events', description: 'The event log behind webhooks and event streams.' },
  { name: 'account', description: 'The calling tenant, its plan, limits and usage.' },
  { name: 'billing', description: 'Subscriptions, checkout and invoices (Stripe).' },
  { name: 'models', description: 'The models the subnet ranks and we serve.' },
  { name: 'api-keys', description: 'Self-service API keys.' },
  { name: 'sign-in', description: 'Sign-up and sign-in by emailed link; they open a browser session (docs/sessions.md).' },
  { name: 'sessions', description: 'The signed-in person: the current session, every session, sign-out.' },
  { name: 'members', description: "The tenant's people, their roles and invitations." },
  { name: 'audit-log', description: "The tenant's own audit log." },
  { name: 'treasury', description: 'Finance: revenue → allocation → funding → on-chain buy-and-burn.' },
  { name: 'public', description: 'No key needed.' },
  { name: 'health', description: 'Liveness and readiness probes.' },
  { name: 'admin', description: 'Operator API (operator keys, `lk_op_…`): tenants, plans, operators, GPU backends, miners, billing.' },
];

/**
 * `catalogue`: every problem code the API may answer with and its statuses, from the error catalogues.
 * `routes`: operations served outside Nest's router (Swagger only finds controllers'), as Swagger
 * would have described them.
 */
export function buildOpenApiDocument(app: INestApplication, catalogue: ProblemCodeSpec[], routes: OpenAPIObject['paths'] = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Leoma API')
    .setDescription(
      'Image-to-video generation served by the winning model of a Bittensor video subnet.\n\n' +
        'Keys: `lk_live_…` keys render on production GPUs and are billed; `lk_test_…` keys are a sandbox (the reference backend, never billed, their own limits, objects invisible to live keys); every object says which with `livemode`.\n\n' +
        'Errors are `application/problem+json` with a stable `code`; each operation lists the codes it can answer with per status.\n\n' +
        'Text: every string a client sends (body fields at any depth, metadata keys and values, query parameters, path ids) may hold any Unicode text, ' +
        'tab, newline and carriage return included, but no other C0 control character (U+0000–U+001F) and no unpaired UTF-16 surrogate; ' +
        'such a string is refused with 400 `validation_failed` and an `errors[]` entry of code `invalid_characters` naming the param.',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://leoma.ai/terms')
    .addServer('https://api.leoma.ai', 'production')
    .addServer('http://127.0.0.1:3000', 'local: npm run dev')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'An API key: lk_live_…, lk_test_…, or lk_op_… for operators.' })
    .addCookieAuth(
      'leoma_session',
      { type: 'apiKey', in: 'cookie', description: 'A browser session (sign in by emailed link or SSO); state-changing requests also send `X-CSRF-Token`.' },
      'session',
    )
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (_c, method) => method });
  doc.paths = withRoutes(doc.paths, routes);
  doc.security = [{ bearer: [] }];
  doc.components = { ...problemComponents(doc.components, catalogue) };
  doc.components.schemas!.Event = EVENT_SCHEMA;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Record<string, any>][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      settleSecurity(path, method, op);
      // An operator route without @Roles is admin-only; say so as the ones with roles do.
      if (op['x-operator-only'] && !op['x-operator-roles']) op['x-operator-roles'] = ['admin'];
    }
  }
  (doc as unknown as Record<string, unknown>)['x-webhooks'] = webhookOperations();
  return orderByTags(withPathParameterDescriptions(withParameterExamples(withProblemResponses(withSuccessDescriptions(withMultipartForms(doc)), catalogue))));
}

/**
 * Each of `routes` ahead of the first operation that shares its tag: where its controller's routes
 * would have been, so the document (shared responses are named in the order operations are met)
 * reads as if Swagger had found it.
 */
function withRoutes(paths: OpenAPIObject['paths'], routes: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  const firstTag = (item: object) =>
    Object.values(item)
      .map((op: any) => op?.tags?.[0])
      .find(Boolean);
  const entries = Object.entries(paths);
  for (const [path, item] of Object.entries(routes)) {
    const at = entries.findIndex(([, other]) => firstTag(other) === firstTag(item));
    entries.splice(at < 0 ? entries.length : at, 0, [path, item]);
  }
  return Object.fromEntries(entries);
}

const STATUS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content', '302': 'Found' };

/** A success response a controller left undescribed says at least what it holds. */
function withSuccessDescriptions(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as Record<string, any>[]) {
      for (const [status, response] of Object.entries((op?.responses ?? {}) as Record<string, any>)) {
        if (response.description) continue;
        const ref: string | undefined = Object.values((response.content ?? {}) as Record<string, any>)[0]?.schema?.$ref;
        response.description = `${STATUS_TEXT[status] ?? status}${ref ? `: ${ref.split('/').pop()}` : ''}`;
      }
    }
  }
  return doc;
}

/** Public routes (x-public from @Public) need no key; everything else needs a bearer key, and must say so. */
function settleSecurity(path: string, method: string, op: Record<string, any>): void {
  if (op['x-public']) {
    op.security = [];
    delete op['x-public'];
    return;
  }
  if (op['x-session-only']) {
    op.security = [{ session: [] }];
    return;
  }
  if (!op.security?.length) throw new Error(`${method.toUpperCase()} ${path} is neither @Public() nor @ApiBearerAuth()`);
  // A signed-in browser reaches every keyed route too, through the same checks.
  op.security = [...op.security, { session: [] }];
}

/** Tags in TAGS order (unknown ones before `admin`), and paths sorted by their first tag so every reader sees that order. */
function orderByTags(doc: OpenAPIObject): OpenAPIObject {
  const used = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op: any) => op?.tags ?? [])));
  const known = TAGS.filter((t) => used.has(t.name) || t.name === 'webhooks');
  const extra = [...used]
    .filter((name) => !TAGS.some((t) => t.name === name))
    .sort()
    .map((name) => ({ name, description: `${name}.` }));
  doc.tags = [...known.filter((t) => t.name !== 'admin'), ...extra, ...known.filter((t) => t.name === 'admin')];
  const rank = (item: object) => {
    const tag = Object.values(item)
      .map((op: any) => op?.tags?.[0])
      .find(Boolean);
    const index = doc.tags!.findIndex((t) => t.name === tag);
    return index < 0 ? doc.tags!.length : index;
  };
  doc.paths = Object.fromEntries(
    Object.entries(doc.paths)
      .map((entry, i) => ({ entry, i }))
      .sort((a, b) => rank(a.entry[1]) - rank(b.entry[1]) || a.i - b.i)
      .map(({ entry }) => entry),
  );
  return doc;
}
