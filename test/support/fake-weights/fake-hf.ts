import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Content, Faults, record, type RecordedRequest, serveContent } from './content.js';

export interface HfFile {
  path: string;
  content: Content;
  /** Stored with LFS (a SHA-256 oid, bytes from the CDN) or in git (a git blob id, bytes from the resolver). */
  lfs: boolean;
  /** Git blob id of a non-LFS file (computed by `gitBlobId` from its bytes). */
  blobId?: string;
}

export function gitBlobId(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1: `/api/models/<repo>/revision/<sha>?blobs=true`
 * and `/<repo>/resolve/<sha>/<path>`, which answers an LFS file with a redirect to a second server
 * (a CDN, another origin) as the real one does. With `token` set, both refuse a request without it.
 */
export class FakeHuggingFace {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Faults();
  url = '';
  private cdnUrl = '';
  private readonly revisions = new Map<string, HfFile[]>();
  private readonly lfs = new Map<string, Content>();
  private readonly api: Server;
  private readonly cdn: Server;

  constructor(private readonly token: string | null = null) {
    this.api = createServer((req, res) => this.handle(req, res));
    this.cdn = createServer((req, res) => this.handleCdn(req, res));
  }

  async start(): Promise<this> {
    this.url = await listen(this.api);
    this.cdnUrl = await listen(this.cdn);
    return this;
  }

  async stop(): Promise<void> {
    for (const server of [this.api, this.cdn]) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }

  /** Publishes files at a new commit; returns `hf:<sha>`. */
  publish(repo: string, files: HfFile[]): string {
    const sha = randomBytes(20).toString('hex');
    this.revisions.set(`${repo}@${sha}`, files);
    for (const file of files) if (file.lfs) this.lfs.set(file.content.sha256, file.content);
    return `hf:${sha}`;
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.token || req.headers.authorization === `Bearer ${this.token}`) return true;
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
    return false;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    record('hf', req, this.requests);
    const path = decodeURIComponent(new URL(req.url ?? '/', this.url).pathname);
    if (!this.authorized(req, res)) return;
    const listing = /^\/api\/models\/(.+)\/revision\/([0-9a-f]{40})$/.exec(path);
    if (listing) {
      const files = this.revisions.get(`${listing[1]}@${listing[2]}`);
      if (!files) return void res.writeHead(404).end(JSON.stringify({ error: 'Revision Not Found' }));
      const siblings = files.map((f) =>
        f.lfs
          ? {
              rfilename: f.path,
              size: f.content.size,
              blobId: randomBytes(20).toString('hex'),
              lfs: { sha256: f.content.sha256, size: f.content.size, pointerSize: 134 },
            }
          : { rfilename: f.path, size: f.content.size, blobId: f.blobId },
      );
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: listing[1], sha: listing[2], siblings }));
    }
    const resolve = /^\/(.+?\/.+?)\/resolve\/([0-9a-f]{40})\/(.+)$/.exec(path);
    const file = resolve && this.revisions.get(`${resolve[1]}@${resolve[2]}`)?.find((f) => f.path === resolve[3]);
    if (!file) return void res.writeHead(404).end('Entry not found');
    if (file.lfs) return void res.writeHead(302, { location: `${this.cdnUrl}/lfs/${file.content.sha256}?X-Amz-Signature=cdn-signature` }).end();
    serveContent(req, res, file.content, this.faults.take(file.content.sha256));
  }

  private handleCdn(req: IncomingMessage, res: ServerResponse): void {
    record('cdn', req, this.requests);
    const match = /^\/lfs\/([0-9a-f]{64})$/.exec(new URL(req.url ?? '/', this.cdnUrl).pathname);
    const content = match && this.lfs.get(match[1]!);
    if (!content) return void res.writeHead(404).end();
    serveContent(req, res, content, this.faults.take(content.sha256));
  }
}
