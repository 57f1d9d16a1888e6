import { createHash } from 'node:crypto';
import type { Request } from 'express';

/** Stable JSON (sorted keys) so the same parameters in another order count as the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What "the same request" means for Idempotency-Key: method, path, parameters and any uploaded file's bytes. */
export function requestFingerprint(req: Request): string {
  const h = createHash('sha256')
    .update(req.method)
    .update('\0')
    .update(req.path)
    .update('\0')
    .update(canonical(req.body ?? {}));
  const file = (req as Request & { file?: { buffer: Buffer } }).file;
  if (file?.buffer) h.update('\0').update(file.buffer);
  return h.digest('hex');
}
