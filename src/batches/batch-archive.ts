import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Batch } from './batch.entity.js';
import { BatchItems, downloadName, type ManifestCursor } from '../videos/index.js';
import { StorageService } from '../platform/storage/storage.service.js';

/** Items read per query, as the manifest reads them. */
const PAGE = 1_000;

/**
 * GET /v1/batches/{id}/archive: a ZIP of the succeeded items' MP4s (and posters), named by
 * custom_id, streamed as it is written. yazl opens each object only when the entry before it is
 * done (addReadStreamLazy) and the response's back-pressure reaches S3, so the API holds one
 * object's chunks at a time whatever the batch's size; only the central directory (a few hundred
 * bytes per entry) grows with it. Entries are stored, not deflated: MP4 and JPEG are compressed already.
 */
@Injectable()
export class BatchArchive {
  private readonly logger = new Logger(BatchArchive.name);

  constructor(
    private readonly items: BatchItems,
    private readonly storage: StorageService,
  ) {}

  async write(batch: Batch, res: Response): Promise<void> {
    res.status(200).set({ 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${batch.id}.zip"`, 'Cache-Control': 'no-store' });
    const zip = new ZipFile();
    let current: Readable | undefined;
    let aborted = false;
    res.on('close', () => {
      aborted = true;
      current?.destroy();
    });
    // Headers are sent: a store failing mid-way can only cut the download short (the ZIP then has no central directory, so no client takes it as whole).
    zip.on('error', (e: Error) => {
      this.logger.warn(`archive of ${batch.id} cut short: ${e.message}`);
      res.destroy(e);
    });
    zip.outputStream.pipe(res);
    const taken = new Set<string>();
    const add = (key: string, name: string, mtime: Date) =>
      zip.addReadStreamLazy(name, { compress: false, mtime }, (cb) => {
        if (aborted) return cb(new Error('client went away'), undefined as never);
        this.storage.stream(key).then(
          (s) => cb(null, (current = s)),
          (e: unknown) => cb(e, undefined as never),
        );
      });
    let after: ManifestCursor = { batch_index: 0, variant_index: 0 };
    while (!aborted) {
      const page = await this.items.manifestPage(batch.id, after, PAGE);
      for (const v of page) {
        if (v.status !== 'succeeded' || !v.output) continue;
        // Two custom_ids may sanitise to the same name; the later one keeps its video id to stay apart.
        let mp4 = downloadName({ id: v.id, customId: v.custom_id, variantIndex: v.variant_index }, 'mp4');
        if (taken.has(mp4)) mp4 = `${mp4.slice(0, -4)}-${v.id}.mp4`;
        taken.add(mp4);
        const mtime = batch.createdAt;
        add(v.output.storage_key, mp4, mtime);
        if (v.output.poster_key) add(v.output.poster_key, `${mp4.slice(0, -4)}.jpg`, mtime);
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!;
    }
    zip.end();
  }
}
