import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { StoredFile } from './file.entity.js';
import { ImageIntakeService } from './image-intake.service.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { newId } from '../platform/http/ids.js';
import { notFound, ProblemException } from '../platform/http/problem.js';
import { filesEnv } from './files.env.js';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';

export const FILE_PURPOSES = ['video_input', 'batch'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

@Injectable()
export class FilesService {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    private readonly intake: ImageIntakeService,
    private readonly storage: StorageService,
  ) {}

  async upload(tenantId: string, buffer: Buffer, filename: string | undefined, purpose: FilePurpose = 'video_input'): Promise<StoredFile> {
    // Checked before any work; concurrent uploads may overshoot by at most the requests in flight.
    const max = filesEnv.get().FILES_MAX_UPLOADS_PER_DAY;
    const recent = await this.files.createQueryBuilder('f').where(`f.tenant_id = :tenantId AND f.created_at > now() - interval '1 day'`, { tenantId }).getCount();
    if (recent >= max) throw new ProblemException(429, 'file_upload_limit_reached', `At most ${max} files can be uploaded in 24 hours.`);
    if (purpose === 'batch') return this.saveBatchInput(tenantId, buffer, filename);
    const image = await this.intake.check({ kind: 'upload', buffer }, 'file');
    const id = newId('file');
    const storageKey = `files/${tenantId}/${id}.${image.ext}`;
    await this.storage.put(storageKey, image.buffer, image.mime);
    const file = this.files.create({
      id,
      tenantId,
      purpose,
      contentType: image.mime,
      filename: filename?.slice(0, 255) ?? null,
      bytes: image.buffer.length,
      width: image.width,
      height: image.height,
      sha256: image.sha256,
      storageKey,
    });
    return this.files.save(file);
  }

  /**
   * A batch's JSONL or CSV, kept as sent so a large catalogue is uploaded once and batched from its
   * id; its rows are read and validated when a batch is created from it.
   */
  private async saveBatchInput(tenantId: string, buffer: Buffer, filename: string | undefined): Promise<StoredFile> {
    if (buffer.length > filesEnv.get().BATCH_INPUT_MAX_BYTES) throw new ProblemException(413, 'payload_too_large', `A batch file may be at most ${filesEnv.get().BATCH_INPUT_MAX_BYTES} bytes.`);
    if (buffer.includes(0) || !isUtf8(buffer)) {
      throw new ProblemException(422, 'batch_file_invalid', 'A batch file is UTF-8 text: JSONL (one JSON object per line) or CSV with a header row.', { errors: [{ param: 'file', code: 'batch_file_invalid', message: 'not UTF-8 text' }] });
    }
    const id = newId('file');
    const csv = /\.csv$/i.test(filename ?? '') || (!/\.(jsonl|ndjson)$/i.test(filename ?? '') && buffer.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0] !== '{');
    const storageKey = `files/${tenantId}/${id}.${csv ? 'csv' : 'jsonl'}`;
    const contentType = csv ? 'text/csv' : 'application/jsonl';
    await this.storage.put(storageKey, buffer, contentType);
    const file = this.files.create({ id, tenantId, purpose: 'batch', contentType, filename: filename?.slice(0, 255) ?? null, bytes: buffer.length, width: 0, height: 0, sha256: createHash('sha256').update(buffer).digest('hex'), storageKey });
    return this.files.save(file);
  }

  /** Many at once (a batch's images), tenant-scoped; ids not found are simply absent from the map. */
  async getMany(tenantId: string, ids: string[]): Promise<Map<string, StoredFile>> {
    const found = new Map<string, StoredFile>();
    for (let i = 0; i < ids.length; i += 1000) {
      for (const f of await this.files.findBy({ tenantId, id: In(ids.slice(i, i + 1000)) })) found.set(f.id, f);
    }
    return found;
  }

  /** Tenant-scoped: another tenant's file id is indistinguishable from a missing one. */
  async get(tenantId: string, id: string): Promise<StoredFile> {
    const file = await this.files.findOneBy({ id, tenantId });
    if (!file) throw notFound('file', id);
    return file;
  }
}

export const presentFile = (f: StoredFile) => ({
  id: f.id,
  object: 'file' as const,
  purpose: f.purpose,
  filename: f.filename,
  content_type: f.contentType,
  bytes: f.bytes,
  // A batch file is not an image.
  width: f.purpose === 'batch' ? null : f.width,
  height: f.purpose === 'batch' ? null : f.height,
  sha256: f.sha256,
  created_at: f.createdAt.toISOString(),
});
