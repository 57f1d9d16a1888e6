import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { fetchPublicUrl } from '../platform/outbound/safe-fetch.js';
import { parseImageDataUri } from './data-uri.js';
import { inspectImage } from './image-inspect.js';
import { DomainError } from '../platform/http/domain-error.js';
import { filesErrors } from './files.errors.js';
import { filesEnv } from './files.env.js';

export type ImageSource = { kind: 'url'; url: string } | { kind: 'data_uri'; uri: string } | { kind: 'upload'; buffer: Buffer };

export interface CheckedImage {
  buffer: Buffer;
  mime: string;
  ext: string;
  width: number;
  height: number;
  sha256: string;
}

/**
 * Gets image bytes from wherever the customer put them and proves they are an image we accept.
 * This runs in the API request so bad input is a 4xx before any job exists.
 */
@Injectable()
export class ImageIntakeService {
  async check(source: ImageSource, param = 'image'): Promise<CheckedImage> {
    const env = filesEnv.get();
    try {
      const buffer =
        source.kind === 'url'
          ? (
              await fetchPublicUrl(source.url, {
                maxBytes: env.IMAGE_MAX_BYTES,
                timeoutMs: env.IMAGE_FETCH_TIMEOUT_MS,
                allowPrivateNetworks: env.ALLOW_PRIVATE_IMAGE_URLS,
              })
            ).body
          : source.kind === 'data_uri'
            ? parseImageDataUri(source.uri, env.IMAGE_MAX_BYTES)
            : source.buffer;
      const info = await inspectImage(buffer, {
        maxBytes: env.IMAGE_MAX_BYTES,
        maxPixels: env.IMAGE_MAX_PIXELS,
        maxDimension: env.IMAGE_MAX_DIMENSION,
        minDimension: env.IMAGE_MIN_DIMENSION,
      });
      return { buffer, ...info, sha256: createHash('sha256').update(buffer).digest('hex') };
    } catch (e) {
      if (isImageRefusal(e) && !e.extensions.errors) throw new DomainError(e.code, e.message, { errors: [{ param, code: e.code, message: e.message }] });
      throw e;
    }
  }
}

/** The customer's image refused (a files code), as opposed to a failure of ours: the worker fails the item with it rather than retrying. */
export const isImageRefusal = (e: unknown): e is DomainError => e instanceof DomainError && e.code in filesErrors.codes;
