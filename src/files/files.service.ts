import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, type Repository } from 'typeorm';
import { StoredFile } from './file.entity.js';
import { ImageIntakeService } from './image-intake.service.js';
import { AudioIntakeService } from './audio-intake.service.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { filesEnv } from './files.env.js';
import { poolQuery } from '../platform/database/pool-query.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ImageArchive } from './image-archive.js';
import type { DiskFile } from '../platform/http/disk-uploads.js';
import type { Limits } from '../core/limits/effective-limits.js';

export type UploadLimits = Pick<Limits, 'uploads_per_day' | 'uploads_per_month'>;

export const FILE_PURPOSES = ['video_input', 'batch', 'image_archive', 'audio'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import { AuditService, type Actor } from '../audit/index.js';

const DAY_MS = 86_400_000;

@Injectable()
export class FilesService {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly intake: ImageIntakeService,
    private readonly audioIntake: AudioIntakeService,
    private readonly storage: StorageService,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditService,
  ) {}

  /** `livemode`: the uploading key's mode; the file is visible to keys of that mode only. `limits`: the tenant's (uploads per day and month). */
  async upload(
    tenantId: string,
    livemode: boolean,
    limits: UploadLimits,
    upload: DiskFile,
    filename: string | undefined,
    purpose: FilePurpose = 'video_input',
  ): Promise<StoredFile> {
    await this.assertUploadsLeft(tenantId, limits, 1);
    if (purpose === 'batch') return this.saveBatchInput(tenantId, livemode, upload, filename);
    if (purpose === 'image_archive') return this.saveImageArchive(tenantId, livemode, upload, filename);
    if (purpose === 'audio') return this.saveAudio(tenantId, livemode, upload, filename);
    // The part was read within the larger (batch) cap when no purpose came before it: an image is held to its own before it is read.
    const imageMax = filesEnv.get().IMAGE_MAX_BYTES;
    if (upload.size > imageMax)
      throw new DomainError('image_too_large', `An image may be at most ${imageMax} bytes.`, {
        errors: [{ param: 'file', code: 'image_too_large', message: `larger than ${imageMax} bytes` }],
      });
    const image = await this.intake.check({ kind: 'upload', buffer: await readFile(upload.path) }, 'file');
    const id = newId('file');
    const storageKey = `files/${tenantId}/${id}.${image.ext}`;
    await this.storage.put(storageKey, image.buffer, image.mime);
    const file = this.files.create({
      id,
      tenantId,
      livemode,
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
   * Uploads are a plan limit, per any 24 hours and per calendar month (UTC), counted across both
   * modes (both store files with us). Checked before any work; concurrent uploads may overshoot
   * by at most the requests in flight. `n`: files this request would add (presigned uploads ask for many).
   */
  async assertUploadsLeft(tenantId: string, limits: UploadLimits, n: number): Promise<void> {
    const [used] = (await this.db.query(
      `select count(*) filter (where created_at > now() - interval '1 day')::int as day,
              count(*) filter (where created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC')::int as month
         from files where tenant_id = $1 and created_at >= least(now() - interval '1 day', date_trunc('month', now() at time zone 'UTC') at time zone 'UTC')`,
      [tenantId],
    )) as { day: number; month: number }[];
    const over = (period: 'day' | 'month', count: number, limit: number, retryAfter: number) => {
      if (count + n <= limit) return;
      throw new DomainError(
        'file_upload_limit_reached',
        `Your plan allows ${limit} uploads per ${period === 'day' ? '24 hours' : 'calendar month'}; ${count} are used${n > 1 ? ` and this request asks for ${n}` : ''}.`,
        { limit, used: count, period },
        { 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))) },
      );
    };
    const now = new Date();
    // The day is a rolling window: an hour frees the uploads made in the hour after the oldest counted one, at least.
    over('day', used!.day, limits.uploads_per_day, 3_600);
    over('month', used!.month, limits.uploads_per_month, (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1) - now.getTime()) / 1000);
  }

  /**
   * A batch's JSONL or CSV, kept as sent so a large catalogue is uploaded once and batched from its
   * id; its rows are read and validated when a batch is created from it.
   */
  private async saveBatchInput(tenantId: string, livemode: boolean, upload: DiskFile, filename: string | undefined): Promise<StoredFile> {
    if (upload.size > filesEnv.get().BATCH_INPUT_MAX_BYTES)
      throw new DomainError('payload_too_large', `A batch file may be at most ${filesEnv.get().BATCH_INPUT_MAX_BYTES} bytes.`);
    const head = await utf8TextHead(upload.path);
    if (head === undefined) {
      throw new DomainError('batch_file_invalid', 'A batch file is UTF-8 text: JSONL (one JSON object per line) or CSV with a header row.', {
        errors: [{ param: 'file', code: 'batch_file_invalid', message: 'not UTF-8 text' }],
      });
    }
    const id = newId('file');
    const csv = /\.csv$/i.test(filename ?? '') || (!/\.(jsonl|ndjson)$/i.test(filename ?? '') && head.replace(/^\uFEFF/, '').trimStart()[0] !== '{');
    const storageKey = `files/${tenantId}/${id}.${csv ? 'csv' : 'jsonl'}`;
    const contentType = csv ? 'text/csv' : 'application/jsonl';
    // Streamed from the disk copy: a batch file of BATCH_INPUT_MAX_BYTES never sits in memory.
    await this.storage.putFile(storageKey, upload.path, { bytes: upload.size, sha256Hex: upload.sha256Hex }, contentType);
    const file = this.files.create({
      id,
      tenantId,
      livemode,
      purpose: 'batch',
      contentType,
      filename: filename?.slice(0, 255) ?? null,
      bytes: upload.size,
      width: 0,
      height: 0,
      sha256: upload.sha256Hex,
      storageKey,
    });
    return this.files.save(file);
  }

  /**
   * A ZIP of images for a batch whose rows name its members. Checked whole before it is kept: a
   * hostile archive (climbing or absolute names, duplicates, too many members, members or a total
   * that expand past the caps — declared or actual) is refused at upload, not when a batch uses it.
   */
  private async saveImageArchive(tenantId: string, livemode: boolean, upload: DiskFile, filename: string | undefined): Promise<StoredFile> {
    const archive = await ImageArchive.open(upload.path, archiveCaps());
    try {
      await archive.check(true);
    } finally {
      archive.close();
    }
    const id = newId('file');
    const storageKey = `files/${tenantId}/${id}.zip`;
    await this.storage.putFile(storageKey, upload.path, { bytes: upload.size, sha256Hex: upload.sha256Hex }, 'application/zip');
    return this.files.save(
      this.files.create({
        id,
        tenantId,
        livemode,
        purpose: 'image_archive',
        contentType: 'application/zip',
        filename: filename?.slice(0, 255) ?? null,
        bytes: upload.size,
        width: 0,
        height: 0,
        sha256: upload.sha256Hex,
        storageKey,
      }),
    );
  }

  /** A sound track for videos' `audio_file`: checked whole (type by magic bytes, then ffprobe) before it is kept. */
  private async saveAudio(tenantId: string, livemode: boolean, upload: DiskFile, filename: string | undefined): Promise<StoredFile> {
    const max = filesEnv.get().AUDIO_MAX_BYTES;
    if (upload.size > max)
      throw new DomainError('audio_too_large', `A sound track may be at most ${max} bytes.`, {
        errors: [{ param: 'file', code: 'audio_too_large', message: `larger than ${max} bytes` }],
      });
    const audio = await this.audioIntake.check({ kind: 'upload', buffer: await readFile(upload.path) }, 'file');
    const id = newId('file');
    const storageKey = `files/${tenantId}/${id}.${audio.ext}`;
    await this.storage.put(storageKey, audio.buffer, audio.mime);
    return this.files.save(
      this.files.create({
        id,
        tenantId,
        livemode,
        purpose: 'audio',
        contentType: audio.mime,
        filename: filename?.slice(0, 255) ?? null,
        bytes: audio.buffer.length,
        width: 0,
        height: 0,
        sha256: audio.sha256,
        storageKey,
      }),
    );
  }

  /**
   * Opens a tenant's image archive for `use`: the ZIP is streamed from storage to the scratch disk
   * (yauzl reads the central directory and members by offset, which a stream cannot give) and
   * removed afterwards.
   */
  async withArchive<T>(tenantId: string, id: string, livemode: boolean, use: (archive: ImageArchive) => Promise<T>): Promise<T> {
    const file = await this.get(tenantId, id, livemode).catch(() => {
      throw new DomainError('file_not_found', `No file with id '${id.slice(0, 64)}'.`, {
        errors: [{ param: 'images_file_id', code: 'file_not_found', message: 'unknown file id' }],
      });
    });
    if (file.purpose !== 'image_archive' || file.expiredAt)
      throw new DomainError('archive_not_usable', `File '${file.id}' is not an image archive (uploaded with purpose "image_archive") that still exists.`, {
        errors: [{ param: 'images_file_id', code: 'archive_not_usable', message: 'not a usable image archive' }],
      });
    const dir = await mkdtemp(join(tmpdir(), 'leoma-archive-'));
    try {
      const path = join(dir, 'images.zip');
      await pipeline(await this.storage.stream(file.storageKey), createWriteStream(path));
      const archive = await ImageArchive.open(path, archiveCaps());
      try {
        return await use(archive);
      } finally {
        archive.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Many at once (a batch's images), tenant- and mode-scoped; ids not found are simply absent from the map. */
  async getMany(tenantId: string, ids: string[], livemode: boolean): Promise<Map<string, StoredFile>> {
    const found = new Map<string, StoredFile>();
    for (let i = 0; i < ids.length; i += 1000) {
      for (const f of await this.files.findBy({ tenantId, livemode, id: In(ids.slice(i, i + 1000)), deletedAt: IsNull() })) found.set(f.id, f);
    }
    return found;
  }

  /** Tenant- and mode-scoped: another tenant's or the other mode's file id (or a deleted one) is indistinguishable from a missing one. */
  async get(tenantId: string, id: string, livemode: boolean): Promise<StoredFile> {
    const file = await this.files.findOneBy({ id, tenantId, livemode, deletedAt: IsNull() });
    if (!file) throw notFound('file', id);
    return file;
  }

  /** A file to start a video from: it must still have its image, and a presigned upload must have been completed. */
  async usable(tenantId: string, id: string, livemode: boolean): Promise<StoredFile> {
    // On every submit that names a file_: straight on pg's pool, without TypeORM's query builder
    // and hydration (issue 36), as the entity's plain fields.
    const [file] = await poolQuery<StoredFile>(
      this.db,
      `select id, tenant_id as "tenantId", purpose, livemode, content_type as "contentType", filename, bytes, width, height, sha256,
         storage_key as "storageKey", status, upload_expires_at as "uploadExpiresAt", created_at as "createdAt", expired_at as "expiredAt", deleted_at as "deletedAt"
       from files where id = $1 and tenant_id = $2 and livemode = $3 and deleted_at is null`,
      [id, tenantId, livemode],
    );
    if (!file) throw notFound('file', id);
    if (file.status !== 'ready') throw uploadIncomplete(id);
    if (file.expiredAt)
      throw new DomainError('file_expired', `File '${id}' passed your plan's retention on ${file.expiredAt.toISOString()}; upload the image again.`, {
        errors: [{ param: 'image', code: 'file_expired', message: 'the file expired' }],
      });
    return file;
  }

  /** DELETE /v1/files/{id}: the image goes at once. Videos made from it keep their outputs. */
  async delete(actor: Actor, tenantId: string, id: string, livemode: boolean): Promise<{ id: string; object: 'file'; deleted: true }> {
    await this.remove(actor, await this.get(tenantId, id, livemode), true);
    return { id, object: 'file', deleted: true };
  }

  /** Deletes up to `limit` of the tenant's files; `remaining` says whether to call again. */
  async eraseTenant(actor: Actor, tenantId: string, limit: number): Promise<{ deleted: number; remaining: boolean }> {
    let deleted = 0;
    while (deleted < limit) {
      const batch = await this.files.find({ where: { tenantId, deletedAt: IsNull() }, order: { id: 'ASC' }, take: Math.min(100, limit - deleted) });
      if (!batch.length) return { deleted, remaining: false };
      for (const file of batch) if (await this.remove(actor, file, false)) deleted++;
    }
    return { deleted, remaining: (await this.files.countBy({ tenantId, deletedAt: IsNull() })) > 0 };
  }

  /**
   * Retention, like videos': files uploaded more than the tenant's `retention_days` before `now`
   * lose their image; presigned uploads never completed are expired once their URL stopped working
   * (whatever was put is deleted). Pending uploads are few and short-lived: they are found without
   * an index of their own (a partial index needs CREATE INDEX CONCURRENTLY, which the migrations'
   * single transaction does not allow yet).
   */
  async expireDue(now: Date, limit: number): Promise<number> {
    const due = (await this.db.query(
      `(select f.id, f.storage_key from files f join tenants t on t.id = f.tenant_id join plans p on p.code = t.plan
        where f.expired_at is null and f.deleted_at is null
          and f.created_at < $1::timestamptz - make_interval(days => coalesce((t.limit_overrides->>'retention_days')::int, p.retention_days))
        order by f.id limit $2)
       union
       (select id, storage_key from files where status = 'pending' and upload_expires_at < $1::timestamptz and expired_at is null and deleted_at is null limit $2)
       limit $2`,
      [now.toISOString(), limit],
    )) as { id: string; storage_key: string }[];
    let expired = 0;
    for (const { id, storage_key } of due) {
      // The object first: a crash before the update leaves the row due, and the next run deletes again.
      await this.storage.delete(storage_key);
      if ((await this.files.update({ id, expiredAt: IsNull() }, { expiredAt: now })).affected) expired++;
    }
    return expired;
  }

  /** The `file.deleted` event is in the file's own mode, whoever deletes it. */
  private async remove(actor: Actor, file: StoredFile, audited: boolean): Promise<boolean> {
    await this.storage.delete(file.storageKey);
    return this.db.transaction(async (tx) => {
      if (!(await tx.update(StoredFile, { id: file.id, deletedAt: IsNull() }, { deletedAt: new Date(), filename: null })).affected) return false;
      await this.outbox.record(tx, {
        type: 'file.deleted',
        tenantId: file.tenantId,
        subjectId: file.id,
        livemode: file.livemode,
        data: { id: file.id, object: 'file', status: 'deleted', deleted: true, url: resourceUrl(`/v1/files/${file.id}`) },
      });
      if (audited)
        await this.audit.record(tx, actor, {
          tenantId: file.tenantId,
          action: 'file.deleted',
          targetType: 'file',
          targetId: file.id,
          before: { bytes: file.bytes, sha256: file.sha256 },
        });
      return true;
    });
  }
}

export function archiveCaps() {
  const env = filesEnv.get();
  return { maxEntries: env.ARCHIVE_MAX_ENTRIES, maxEntryBytes: env.IMAGE_MAX_BYTES, maxTotalBytes: env.ARCHIVE_MAX_EXPANDED_BYTES };
}

/** A presigned upload not (yet) completed: nothing checked is there to use. */
export function uploadIncomplete(id: string): DomainError {
  return new DomainError('file_upload_incomplete', `File '${id}' is still pending: PUT the image to its upload_url and complete it first.`, {
    errors: [{ param: 'image', code: 'file_upload_incomplete', message: 'the upload was not completed' }],
  });
}

/** `retention_days` is the tenant's current limit: the file expires that long after upload. */
export const presentFile = (f: StoredFile, retentionDays: number) => ({
  id: f.id,
  object: 'file' as const,
  livemode: f.livemode,
  purpose: f.purpose,
  filename: f.filename,
  content_type: f.contentType,
  bytes: f.bytes,
  status: f.status,
  // A batch file or an archive is not an image, and a pending upload was not read yet.
  width: f.purpose !== 'video_input' || f.status === 'pending' ? null : f.width,
  height: f.purpose !== 'video_input' || f.status === 'pending' ? null : f.height,
  sha256: f.status === 'pending' ? null : f.sha256,
  upload_expires_at: f.uploadExpiresAt?.toISOString() ?? null,
  created_at: f.createdAt.toISOString(),
  expires_at: new Date(f.createdAt.getTime() + retentionDays * DAY_MS).toISOString(),
  expired_at: f.expiredAt?.toISOString() ?? null,
});

/**
 * The first characters of a file that is UTF-8 text without NUL bytes, read chunk by chunk (a
 * character split across chunks is decoded whole); undefined when it is not such text.
 */
async function utf8TextHead(path: string): Promise<string | undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let head = '';
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      if (chunk.includes(0)) return undefined;
      const text = decoder.decode(chunk, { stream: true });
      if (head.length < 64) head += text.slice(0, 64 - head.length);
    }
    decoder.decode();
  } catch {
    return undefined;
  }
  return head;
}
