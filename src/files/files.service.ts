import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { StoredFile } from './file.entity.js';
import { ImageIntakeService } from './image-intake.service.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { newId } from '../platform/http/ids.js';
import { notFound, ProblemException } from '../platform/http/problem.js';
import { filesEnv } from './files.env.js';

@Injectable()
export class FilesService {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    private readonly intake: ImageIntakeService,
    private readonly storage: StorageService,
  ) {}

  async upload(tenantId: string, buffer: Buffer, filename: string | undefined): Promise<StoredFile> {
    // Checked before any work; concurrent uploads may overshoot by at most the requests in flight.
    const max = filesEnv.get().FILES_MAX_UPLOADS_PER_DAY;
    const recent = await this.files.createQueryBuilder('f').where(`f.tenant_id = :tenantId AND f.created_at > now() - interval '1 day'`, { tenantId }).getCount();
    if (recent >= max) throw new ProblemException(429, 'file_upload_limit_reached', `At most ${max} files can be uploaded in 24 hours.`);
    const image = await this.intake.check({ kind: 'upload', buffer }, 'file');
    const id = newId('file');
    const storageKey = `files/${tenantId}/${id}.${image.ext}`;
    await this.storage.put(storageKey, image.buffer, image.mime);
    const file = this.files.create({
      id,
      tenantId,
      purpose: 'video_input',
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
  width: f.width,
  height: f.height,
  sha256: f.sha256,
  created_at: f.createdAt.toISOString(),
});
