import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { StoredFile } from './file.entity.js';
import { ImageIntakeService } from './image-intake.service.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { newId } from '../platform/http/ids.js';
import { notFound } from '../platform/http/problem.js';

@Injectable()
export class FilesService {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    private readonly intake: ImageIntakeService,
    private readonly storage: StorageService,
  ) {}

  async upload(tenantId: string, buffer: Buffer, filename: string | undefined): Promise<StoredFile> {
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
