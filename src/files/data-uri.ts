import { DomainError } from '../platform/http/domain-error.js';

// The declared subtype is not trusted (inspectImage sniffs the bytes); it only has to look
// like an image type so obvious non-images fail early with a precise message.
const PREFIX = /^data:image\/[a-z0-9.+-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a `data:image/<type>;base64,<payload>` URI. Size is checked from the payload length
 * before anything is decoded or regex-scanned, so an oversized request costs no extra memory.
 * Only strict base64 is accepted (no whitespace, no URL-safe alphabet): lenient decoding
 * would silently drop bytes and hand a corrupt image to the GPU backend.
 */
export function parseImageDataUri(uri: string, maxBytes: number): Buffer {
  const prefix = PREFIX.exec(uri.slice(0, 128));
  if (!prefix) {
    throw new DomainError('image_data_uri_invalid', 'The image must be a data:image/<type>;base64, URI.');
  }
  const payload = uri.slice(prefix[0].length);
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  const decodedLength = Math.floor(((payload.length - padding) * 3) / 4);
  if (decodedLength > maxBytes) {
    throw new DomainError('image_too_large', `The image is larger than ${maxBytes} bytes.`);
  }
  // A length of 4n+1 cannot come from any byte sequence; padding, when present, must
  // complete the last quantum.
  const unpadded = payload.length - padding;
  if (decodedLength === 0 || unpadded % 4 === 1 || (padding > 0 && payload.length % 4 !== 0) || !BASE64.test(payload)) {
    throw new DomainError('image_data_uri_invalid', 'The image data URI does not contain valid base64 data.');
  }
  return Buffer.from(payload, 'base64');
}
