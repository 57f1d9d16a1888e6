import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * A Kubernetes API server on 127.0.0.1 speaking just what the GPU actuator calls: apps/v1
 * Deployments, v1 Services and KEDA ScaledObjects, namespaced — create (POST, 409 AlreadyExists),
 * read, JSON merge patch (RFC 7386; any other patch type is a 415) and delete (404 NotFound), with
 * Status bodies as the real server sends them. It records every request for the tests to assert.
 */
export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  authorization: string | undefined;
  body: any;
}

const COLLECTIONS = [
  /^\/apis\/apps\/v1\/namespaces\/([a-z0-9-]+)\/deployments(?:\/([a-z0-9-]+))?$/,
  /^\/api\/v1\/namespaces\/([a-z0-9-]+)\/services(?:\/([a-z0-9-]+))?$/,
  /^\/apis\/keda\.sh\/v1alpha1\/namespaces\/([a-z0-9-]+)\/scaledobjects(?:\/([a-z0-9-]+))?$/,
];

export class FakeKubeApi {
  readonly requests: KubeRequest[] = [];
  /** Stored objects by collection path + '/' + name. */
  readonly objects = new Map<string, any>();
  /** Runs before a create is answered: a test puts a rival's object here to make the create race and lose. */
  beforeCreate: ((collection: string, body: any) => void) | undefined;
  /** The next request matching is answered with this status instead. */
  private failures: { method: string; pathEnd: string; status: number }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  failNext(method: string, pathEnd: string, status: number): void {
    this.failures.push({ method, pathEnd, status });
  }

  /** Requests other than the reads a test does not care about, as `VERB path`. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url!, 'http://fake');
    const rec: KubeRequest = {
      method: req.method!,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body: raw ? JSON.parse(raw) : undefined,
    };
    this.requests.push(rec);
    const failure = this.failures.findIndex((f) => f.method === rec.method && rec.path.endsWith(f.pathEnd));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return send(res, f!.status, status(f!.status, 'InternalError', 'injected failure'));
    }
    const match = COLLECTIONS.map((re) => re.exec(rec.path)).find(Boolean);
    if (!match) return send(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${rec.path})`));
    const name = match[2];
    const collection = name ? rec.path.slice(0, -(name.length + 1)) : rec.path;
    const key = `${collection}/${name}`;
    if (!name && rec.method === 'POST') {
      const body = rec.body;
      this.beforeCreate?.(collection, body);
      const k = `${collection}/${body.metadata.name}`;
      if (body.metadata.namespace && body.metadata.namespace !== match[1])
        return send(res, 400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
      if (this.objects.has(k)) return send(res, 409, status(409, 'AlreadyExists', `"${body.metadata.name}" already exists`));
      const stored = {
        ...body,
        metadata: {
          ...body.metadata,
          namespace: match[1],
          uid: randomUUID(),
          resourceVersion: '1',
          generation: 1,
          creationTimestamp: new Date().toISOString(),
        },
      };
      this.objects.set(k, stored);
      return send(res, 201, stored);
    }
    if (!name) return send(res, 405, status(405, 'MethodNotAllowed', 'not here'));
    const existing = this.objects.get(key);
    if (!existing) return send(res, 404, status(404, 'NotFound', `"${name}" not found`));
    if (rec.method === 'GET') return send(res, 200, existing);
    if (rec.method === 'DELETE') {
      this.objects.delete(key);
      return send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name } });
    }
    if (rec.method === 'PATCH') {
      if (rec.contentType !== 'application/merge-patch+json')
        return send(res, 415, status(415, 'UnsupportedMediaType', `the fake speaks merge patch only, got ${rec.contentType}`));
      const patched = mergePatch(existing, rec.body);
      // As the real server: a patch that changes nothing (key order aside) bumps no resourceVersion.
      const changed = canonical(patched) !== canonical(existing);
      if (changed) patched.metadata.resourceVersion = String(Number(existing.metadata.resourceVersion) + 1);
      this.objects.set(key, patched);
      return send(res, 200, patched);
    }
    return send(res, 405, status(405, 'MethodNotAllowed', rec.method));
  }
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/** RFC 7386. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
