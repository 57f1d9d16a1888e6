import { createHash } from 'node:crypto';
import { renderVideo, type RenderOptions } from './render.js';

// Rendering is deterministic (same image and options give the same bytes, see render.ts), so a
// repeat request is served from memory: a test run or a demo renders the same picture hundreds
// of times, and each ffmpeg run costs about a second of CPU on a small machine.
const MAX_CACHED_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, Buffer>();
let cachedBytes = 0;

/** renderVideo, answered from a bounded in-memory cache when the same render was done before. */
export async function renderVideoCached(opts: RenderOptions): Promise<Buffer> {
  const { image, signal: _signal, timeoutMs: _timeout, ...settings } = opts;
  const key = createHash('sha256').update(image).update(JSON.stringify(settings)).digest('hex');
  const hit = cache.get(key);
  if (hit) {
    // Re-insert so the Map's insertion order is least-recently-used first.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const video = await renderVideo(opts);
  if (video.length <= MAX_CACHED_BYTES) {
    cache.set(key, video);
    cachedBytes += video.length;
    for (const [oldest, bytes] of cache) {
      if (cachedBytes <= MAX_CACHED_BYTES) break;
      cache.delete(oldest);
      cachedBytes -= bytes.length;
    }
  }
  return video;
}
