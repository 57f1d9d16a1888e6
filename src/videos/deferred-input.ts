import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ImageIntakeService } from '../files/index.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { whileStorageUnavailable } from '../platform/storage/storage-retry.js';
import { videosEnv } from './videos.env.js';
import { Video, type VideoInputRef } from './video.entity.js';

/**
 * A batch item given as an image URL is fetched when it runs, not when the batch is accepted: a
 * 50,000-row catalogue cannot wait for 50,000 downloads. The fetch goes through the same intake
 * as an interactive video (public addresses only, size, type and pixel caps); a refusal it
 * throws fails the item with that code. The stored copy is recorded, so a retry does not fetch again.
 */
@Injectable()
export class DeferredInput {
  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    private readonly intake: ImageIntakeService,
    private readonly storage: StorageService,
  ) {}

  async fetch(video: Video): Promise<Buffer> {
    const checked = await this.intake.check({ kind: 'url', url: video.input.url! });
    const key = `inputs/${video.tenantId}/${video.id}.${checked.ext}`;
    // Fetched once: a storage outage is waited out rather than fetching the URL again on a retry.
    await whileStorageUnavailable(() => this.storage.put(key, checked.buffer, checked.mime), Date.now() + videosEnv.get().VIDEO_STORAGE_RETRY_MS);
    const input: VideoInputRef = {
      ...video.input,
      storage_key: key,
      content_type: checked.mime,
      width: checked.width,
      height: checked.height,
      bytes: checked.buffer.length,
      sha256: checked.sha256,
    };
    await this.videos.update({ id: video.id }, { input });
    video.input = input;
    return checked.buffer;
  }
}
