import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { StoredFile } from './file.entity.js';
import { FilesService, type UploadLimits } from './files.service.js';
import { ImageIntakeService } from './image-intake.service.js';
import { AudioIntakeService } from './audio-intake.service.js';
import { filesEnv } from './files.env.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { newId } from '../platform/http/ids.js';
import { DomainError } from '../platform/http/domain-error.js';

export const IMAGE_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const AUDIO_UPLOAD_TYPES = ['audio/mpeg', 'audio/aac', 'audio/mp4', 'audio/wav'] as const;
export const UPLOAD_CONTENT_TYPES = [...IMAGE_UPLOAD_TYPES, ...AUDIO_UPLOAD_TYPES] as const;
/** What a presigned upload may be: an input image, or a sound track (`audio_file`). */
export const UPLOAD_PURPOSES = ['video_input', 'audio'] as const;

export interface UploadSpec {
  filename?: string;
  /** Default `video_input`. */
  purpose?: (typeof UPLOAD_PURPOSES)[number];
  content_type: (typeof UPLOAD_CONTENT_TYPES)[number];
  bytes: number;
}

/**
 * Direct uploads: the client PUTs each image (or sound track) to storage at a presigned URL, so a catalogue of
 * thousands of photos never passes through the API's memory or its request-body limits. A file
 * row exists (`pending`) from the moment its URL is handed out — it counts toward the plan's
 * uploads then — and becomes `ready` only when completion has read the object back and checked it
 * as POST /v1/files checks a multipart upload of its purpose (an image: type by its bytes, size,
 * dimensions; a sound track: type by its bytes, size, one audio stream ffprobe reads, length). A file never
 * completed is expired by the retention sweep once its URL has stopped working.
 */
@Injectable()
export class PresignedUploads {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    private readonly filesService: FilesService,
    private readonly intake: ImageIntakeService,
    private readonly audio: AudioIntakeService,
    private readonly storage: StorageService,
  ) {}

  async create(tenantId: string, livemode: boolean, limits: UploadLimits, specs: UploadSpec[]): Promise<{ file: StoredFile; url: string }[]> {
    const env = filesEnv.get();
    if (specs.length > env.FILES_UPLOADS_PER_REQUEST)
      throw new DomainError('validation_failed', `files: at most ${env.FILES_UPLOADS_PER_REQUEST} uploads per request.`, {
        errors: [{ param: 'files', code: 'too_many', message: `at most ${env.FILES_UPLOADS_PER_REQUEST}` }],
      });
    specs.forEach((spec, i) => {
      const purpose = spec.purpose ?? 'video_input';
      const types: readonly string[] = purpose === 'audio' ? AUDIO_UPLOAD_TYPES : IMAGE_UPLOAD_TYPES;
      if (!types.includes(spec.content_type))
        throw new DomainError('validation_failed', `files[${i}].content_type: a ${purpose} upload is one of ${types.join(', ')}.`, {
          errors: [{ param: `files[${i}].content_type`, code: 'invalid', message: `must be one of ${types.join(', ')} for purpose ${purpose}` }],
        });
      const { max, code, what } = capOf(purpose);
      if (spec.bytes > max)
        throw new DomainError(code, `${what} may be at most ${max} bytes.`, {
          errors: [{ param: `files[${i}].bytes`, code, message: `larger than ${max} bytes` }],
        });
    });
    await this.filesService.assertUploadsLeft(tenantId, limits, specs.length);
    const expiresAt = new Date(Date.now() + env.FILES_UPLOAD_URL_TTL_SECONDS * 1000);
    const rows = specs.map((spec) => {
      const id = newId('file');
      return this.files.create({
        id,
        tenantId,
        livemode,
        purpose: spec.purpose ?? 'video_input',
        status: 'pending',
        uploadExpiresAt: expiresAt,
        contentType: spec.content_type,
        filename: spec.filename?.slice(0, 255) ?? null,
        bytes: spec.bytes,
        width: 0,
        height: 0,
        sha256: '',
        storageKey: `files/${tenantId}/${id}`,
      });
    });
    // One multi-row INSERT per thousand: a catalogue's uploads are handed out in one request.
    for (let i = 0; i < rows.length; i += 1000) await this.files.insert(rows.slice(i, i + 1000));
    return Promise.all(
      rows.map(async (file) => ({ file, url: await this.storage.presignPut(file.storageKey, file.contentType, file.bytes, env.FILES_UPLOAD_URL_TTL_SECONDS) })),
    );
  }

  /**
   * Reads what was put and checks it; a refused object is deleted and the file stays pending, so
   * the client may PUT a good image to the same URL while it works. Completing a ready file again
   * answers it as it is.
   */
  async complete(tenantId: string, id: string, livemode: boolean): Promise<StoredFile> {
    const file = await this.filesService.get(tenantId, id, livemode);
    if (file.status === 'ready') return file;
    if (file.expiredAt || (file.uploadExpiresAt && file.uploadExpiresAt.getTime() < Date.now()))
      throw new DomainError('file_upload_expired', `The upload URL of '${id}' expired before the upload was completed; request a new one.`);
    const size = await this.storage.size(file.storageKey);
    if (size === null)
      throw new DomainError('file_upload_incomplete', `Nothing was uploaded for '${id}' yet: PUT the image to its upload_url, then complete it.`);
    const { max, code, what } = capOf(file.purpose === 'audio' ? 'audio' : 'video_input');
    try {
      // S3 refuses a PUT of another length than the signed one; not every S3-compatible store does.
      if (size !== file.bytes)
        throw new DomainError('file_upload_size_mismatch', `'${id}' was declared as ${file.bytes} bytes and ${size} were put.`, {
          errors: [{ param: 'bytes', code: 'file_upload_size_mismatch', message: `${size} bytes put` }],
        });
      if (size > max)
        throw new DomainError(code, `${what} may be at most ${max} bytes.`, {
          errors: [{ param: 'file', code, message: `larger than ${max} bytes` }],
        });
      const buffer = await this.storage.get(file.storageKey, max);
      const checked =
        file.purpose === 'audio'
          ? await this.audio.check({ kind: 'upload', buffer }, 'file').then((a) => ({ ...a, width: 0, height: 0 }))
          : await this.intake.check({ kind: 'upload', buffer }, 'file');
      await this.files.update(
        { id, tenantId, status: 'pending', deletedAt: IsNull() },
        {
          status: 'ready',
          uploadExpiresAt: null,
          contentType: checked.mime,
          bytes: checked.buffer.length,
          width: checked.width,
          height: checked.height,
          sha256: checked.sha256,
        },
      );
    } catch (e) {
      // A refusal deletes what was PUT; a check that could not run (a starved probe) keeps it, so completing again may pass.
      if (e instanceof DomainError && e.code !== 'media_check_unavailable') await this.storage.delete(file.storageKey);
      throw e;
    }
    return this.filesService.get(tenantId, id, livemode);
  }
}

/** A purpose's size cap, and the code and words a file over it is refused with (as POST /v1/files refuses it). */
function capOf(purpose: (typeof UPLOAD_PURPOSES)[number]): { max: number; code: string; what: string } {
  const env = filesEnv.get();
  return purpose === 'audio'
    ? { max: env.AUDIO_MAX_BYTES, code: 'audio_too_large', what: 'A sound track' }
    : { max: env.IMAGE_MAX_BYTES, code: 'image_too_large', what: 'An image' };
}
