import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { DomainError } from '../platform/http/domain-error.js';

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';

export interface ImageInfo {
  mime: ImageMime;
  ext: string;
  width: number;
  height: number;
}

export interface InspectImageOptions {
  maxBytes: number;
  /** Cap on width × height: bounds the memory a decoder needs, whatever the file size. */
  maxPixels: number;
  maxDimension?: number;
  minDimension?: number;
}

// file-type name → what we accept it as, plus image-size's name for the same format so the
// two independent parsers must agree. APNG is a PNG that every PNG decoder can read.
const ACCEPTED: Record<string, { mime: ImageMime; ext: string; sizeType: string }> = {
  'image/png': { mime: 'image/png', ext: 'png', sizeType: 'png' },
  'image/apng': { mime: 'image/png', ext: 'png', sizeType: 'png' },
  'image/jpeg': { mime: 'image/jpeg', ext: 'jpg', sizeType: 'jpg' },
  'image/webp': { mime: 'image/webp', ext: 'webp', sizeType: 'webp' },
};

/**
 * Decides what an uploaded or fetched image really is from its bytes (never from a file name
 * or Content-Type) and enforces the size, pixel and dimension limits before the image is
 * stored or sent to a GPU backend. Pixels are not decoded; the container is checked for
 * completeness so a truncated download fails here rather than on a paid GPU call.
 *
 * Width and height are as stored; JPEG EXIF orientation is not applied.
 */
export async function inspectImage(buf: Buffer, opts: InspectImageOptions): Promise<ImageInfo> {
  if (buf.length > opts.maxBytes) {
    throw new DomainError('image_too_large', `The image is larger than ${opts.maxBytes} bytes.`);
  }
  const detected = await fileTypeFromBuffer(buf);
  const accepted = detected && ACCEPTED[detected.mime];
  if (!accepted) {
    throw new DomainError('image_unsupported_type', 'The image must be a PNG, JPEG or WebP file.');
  }
  const size = isComplete(buf, accepted.mime) ? readSize(buf) : undefined;
  if (!size || size.type !== accepted.sizeType || !(size.width >= 1 && size.height >= 1)) {
    throw new DomainError('image_invalid', 'The image file is corrupt or truncated.');
  }
  const { width, height } = size;

  if (width * height > opts.maxPixels) {
    throw new DomainError('image_dimensions_too_large', `The image has ${width}×${height} pixels; at most ${opts.maxPixels} pixels are allowed.`);
  }
  if (opts.maxDimension !== undefined && Math.max(width, height) > opts.maxDimension) {
    throw new DomainError('image_dimensions_too_large', `The image is ${width}×${height}; neither side may exceed ${opts.maxDimension} pixels.`);
  }
  if (opts.minDimension !== undefined && Math.min(width, height) < opts.minDimension) {
    throw new DomainError('image_too_small', `The image is ${width}×${height}; both sides must be at least ${opts.minDimension} pixels.`);
  }
  return { mime: accepted.mime, ext: accepted.ext, width, height };
}

function isComplete(buf: Buffer, mime: ImageMime): boolean {
  switch (mime) {
    case 'image/png':
      return pngComplete(buf);
    case 'image/webp':
      // RIFF records the payload length; a shorter file lost its tail.
      return buf.length >= 12 && buf.readUInt32LE(4) + 8 <= buf.length;
    case 'image/jpeg':
      // Entropy-coded data escapes 0xFF, so an end-of-image marker only appears where a
      // (possibly embedded thumbnail) image ends: its absence means the file was cut short.
      return buf.lastIndexOf(JPEG_EOI) > 2;
  }
}

const JPEG_EOI = Buffer.from([0xff, 0xd9]);

// image-size throws on headers it cannot parse; to the caller that is just an invalid image.
function readSize(buf: Buffer): ReturnType<typeof imageSize> | undefined {
  try {
    return imageSize(buf);
  } catch {
    return undefined;
  }
}

// Walks the chunk list: a PNG is complete when it reaches IEND with image data on the way and
// no chunk claims more bytes than the file has.
function pngComplete(buf: Buffer): boolean {
  let sawImageData = false;
  for (let offset = 8; offset + 12 <= buf.length; ) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > buf.length) return false;
    if (type === 'IDAT') sawImageData = true;
    if (type === 'IEND') return sawImageData;
    offset += 12 + length;
  }
  return false;
}
