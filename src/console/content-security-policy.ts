import { storageEnv } from '../platform/storage/storage.env.js';
import { consoleEnv } from './console.env.js';

/** Where presigned video, poster and thumbnail URLs point: the only other origin the console loads from. */
export function mediaOrigins(): string[] {
  const configured = consoleEnv.get().CONSOLE_MEDIA_ORIGINS;
  if (configured) return configured.split(/\s+/).filter(Boolean);
  const endpoint = storageEnv.get().S3_ENDPOINT;
  return [endpoint ? new URL(endpoint).origin : 'https://*.amazonaws.com'];
}

/**
 * The console's policy: its own scripts and styles only (the build emits no inline code), API
 * calls to this origin only, media from storage, no framing, no plugins, forms only to itself.
 * `blob:` images are the playground's preview of a chosen file, never sent anywhere.
 */
export function consoleContentSecurityPolicy(): string {
  const media = mediaOrigins().join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: data: ${media}`,
    `media-src 'self' ${media}`,
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}
