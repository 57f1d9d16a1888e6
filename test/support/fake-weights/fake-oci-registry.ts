import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bufferContent, type Content, Faults, record, type RecordedRequest, serveContent } from './content.js';

export interface HubFile {
  path: string;
  content: Content;
  /** Store as chunked-v1: a pointer layer and these chunk sizes (summing to the file's size), in order. */
  chunks?: number[];
}

/**
 * A stand-in for the Hippius hub (an OCI registry, Harbor) on 127.0.0.1: manifests and blobs by
 * digest under `/v2/<repo>/`, behind Harbor's token service (`/service/token`, answered only for
 * the configured hub token) as hippius_hub talks to it. Pushes build plain and chunked-v1 manifests
 * the way the hub's uploader lays them out.
 */
export class FakeOciRegistry {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Faults();
  /** Manifests answered with their head and a few bytes, then nothing. */
  hangManifests = false;
  url = '';
  private readonly manifests = new Map<string, Buffer>();
  private readonly blobs = new Map<string, Content>();
  private readonly pullTokens = new Set<string>();
  private readonly server: Server;

  constructor(private readonly hubToken: string | null = null) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Stores a manifest exactly as given (its bytes decide its digest); returns `sha256:<hex>`. */
  putManifest(repo: string, manifest: unknown): string {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    this.manifests.set(`${repo}@${digest}`, bytes);
    return digest;
  }

  /**
   * Builds the layers of `files` (plain, or chunked when `chunks` is given: chunked-v1 chunk layers,
   * or chunked-v2 packs of `chunksPerPack` chunks with a pointer blob) and stores the manifest.
   */
  async push(repo: string, files: HubFile[], layout: 'chunked-v1' | 'chunked-v2' = 'chunked-v1', chunksPerPack = 3): Promise<string> {
    const layers: unknown[] = [];
    let chunked = false;
    for (const file of files) {
      this.blobs.set(file.content.sha256, file.content);
      if (!file.chunks) {
        layers.push({
          mediaType: 'application/octet-stream',
          digest: `sha256:${file.content.sha256}`,
          size: file.content.size,
          annotations: { 'org.opencontainers.image.title': file.path },
        });
        continue;
      }
      chunked = true;
      if (layout === 'chunked-v2') {
        layers.push(...(await this.packFile(file, chunksPerPack)));
        continue;
      }
      const pointer = Buffer.from(JSON.stringify({ file: file.path, size: file.content.size }));
      const pointerDigest = createHash('sha256').update(pointer).digest('hex');
      layers.push({
        mediaType: 'application/vnd.hippius.pointer.v1',
        digest: `sha256:${pointerDigest}`,
        size: pointer.length,
        annotations: {
          'org.opencontainers.image.title': file.path,
          'com.hippius.file.size': String(file.content.size),
          'com.hippius.file.digest': `sha256:${file.content.sha256}`,
          'com.hippius.chunk.count': String(file.chunks.length),
        },
      });
      let offset = 0;
      for (const size of file.chunks) {
        const chunk = await file.content.slice(offset, offset + size);
        offset += size;
        this.blobs.set(chunk.sha256, chunk);
        layers.push({ mediaType: 'application/vnd.hippius.chunk.v1', digest: `sha256:${chunk.sha256}`, size });
      }
    }
    return this.putManifest(repo, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: chunked ? 'application/vnd.hippius.chunked.v1' : 'application/vnd.hippius.model.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 },
      layers,
      annotations: chunked ? { 'com.hippius.layout': layout } : {},
    });
  }

  /** chunked-v2: consecutive chunks concatenated into packs; the pointer blob maps each chunk to (pack, offset). */
  private async packFile(file: HubFile, chunksPerPack: number): Promise<unknown[]> {
    const chunks: Array<{ digest: string; size: number; pack: string; offset: number }> = [];
    const packs: unknown[] = [];
    let start = 0;
    for (let i = 0; i < file.chunks!.length; i += chunksPerPack) {
      const sizes = file.chunks!.slice(i, i + chunksPerPack);
      const packSize = sizes.reduce((n, x) => n + x, 0);
      const pack = await file.content.slice(start, start + packSize);
      this.blobs.set(pack.sha256, pack);
      packs.push({ mediaType: 'application/vnd.hippius.pack.v1', digest: `sha256:${pack.sha256}`, size: packSize });
      let offset = 0;
      for (const size of sizes) {
        const chunk = await file.content.slice(start + offset, start + offset + size);
        chunks.push({ digest: `sha256:${chunk.sha256}`, size, pack: `sha256:${pack.sha256}`, offset });
        offset += size;
      }
      start += packSize;
    }
    const pointer = bufferContent(Buffer.from(JSON.stringify({ chunks, version: 'chunked-v2' })));
    this.blobs.set(pointer.sha256, pointer);
    const title = {
      mediaType: 'application/vnd.hippius.pointer.v2',
      digest: `sha256:${pointer.sha256}`,
      size: pointer.size,
      annotations: {
        'org.opencontainers.image.title': file.path,
        'com.hippius.file.size': String(file.content.size),
        'com.hippius.file.digest': `sha256:${file.content.sha256}`,
        'com.hippius.chunk.count': String(chunks.length),
      },
    };
    return [title, ...packs];
  }

  /** Serves other bytes under an existing digest (a registry that lies). */
  replaceManifest(repo: string, digest: string, manifest: unknown): void {
    this.manifests.set(`${repo}@${digest}`, Buffer.from(JSON.stringify(manifest)));
  }

  /** Blob paths requested so far (`sha256:<hex>`), in order. */
  blobRequests(): string[] {
    return this.requests.flatMap((r) => /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(r.path)?.[1] ?? []);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    record('hub', req, this.requests);
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname);
    if (path === '/service/token') {
      if (this.hubToken && req.headers.authorization !== `Bearer ${this.hubToken}`)
        return void res.writeHead(401).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED' }] }));
      const token = `pull-${randomBytes(12).toString('hex')}`;
      this.pullTokens.add(token);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 1800 }));
    }
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (!match) return void res.writeHead(404).end();
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.pullTokens.has(bearer)) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${this.url}/service/token",service="harbor-registry",scope="repository:${match[1]}:pull"` });
      return void res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED' }] }));
    }
    if (match[2] === 'manifests') {
      const bytes = this.manifests.get(`${match[1]}@${match[3]}`);
      if (!bytes) return void res.writeHead(404).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }));
      if (this.hangManifests)
        return void res
          .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': bytes.length })
          .write(bytes.subarray(0, 10));
      return void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': match[3] }).end(bytes);
    }
    const hex = match[3]!.slice(7);
    const content = this.blobs.get(hex);
    if (!content) return void res.writeHead(404).end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN' }] }));
    serveContent(req, res, content, this.faults.take(hex));
  }
}
