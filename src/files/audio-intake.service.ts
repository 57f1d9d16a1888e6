import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { fetchPublicUrl } from '../platform/outbound/safe-fetch.js';
import { AudioProbeError, probeAudio } from '../platform/media/audio-probe.js';
import { ProbeStarved } from '../platform/media/ffprobe.js';
import { DomainError } from '../platform/http/domain-error.js';
import { filesEnv } from './files.env.js';

export type AudioSource = { kind: 'url'; url: string } | { kind: 'upload'; buffer: Buffer };

export interface CheckedAudio {
  buffer: Buffer;
  mime: string;
  ext: string;
  durationSeconds: number;
  sha256: string;
}

// The guarded fetch speaks of images; the same refusals, named for the sound track.
const FETCH_REFUSALS: Record<string, string> = {
  image_url_invalid: 'audio_url_invalid',
  image_url_forbidden: 'audio_url_forbidden',
  image_fetch_failed: 'audio_fetch_failed',
  image_fetch_timeout: 'audio_fetch_timeout',
  image_too_large: 'audio_too_large',
};

// file-type's name → the type we keep it as.
const ACCEPTED: Record<string, { mime: string; ext: string }> = {
  mp3: { mime: 'audio/mpeg', ext: 'mp3' },
  aac: { mime: 'audio/aac', ext: 'aac' },
  m4a: { mime: 'audio/mp4', ext: 'm4a' },
  wav: { mime: 'audio/wav', ext: 'wav' },
};

/**
 * Gets a customer's sound track from an upload or a public URL and proves it is one we take: the
 * type by its magic bytes (never the name or the server's header), then ffprobe on the bytes (one
 * audio stream, readable, within AUDIO_MAX_SECONDS). Runs in the API request, so bad input is a
 * 4xx before any video exists; the fetch has the image URLs' guard (public addresses only, every
 * redirect re-checked, size and time caps).
 */
@Injectable()
export class AudioIntakeService {
  async check(source: AudioSource, param = 'audio_file'): Promise<CheckedAudio> {
    const env = filesEnv.get();
    const refuse = (code: string, message: string) => new DomainError(code, message, { errors: [{ param, code, message }] });
    let buffer: Buffer;
    if (source.kind === 'url') {
      if (!/^https?:\/\//i.test(source.url)) throw refuse('audio_url_invalid', '`audio_file` is an uploaded `file_` id (purpose `audio`) or an https URL.');
      try {
        buffer = (
          await fetchPublicUrl(source.url, {
            maxBytes: env.AUDIO_MAX_BYTES,
            timeoutMs: env.AUDIO_FETCH_TIMEOUT_MS,
            allowPrivateNetworks: env.ALLOW_PRIVATE_IMAGE_URLS,
            accept: 'audio/mpeg, audio/aac, audio/mp4, audio/wav',
          })
        ).body;
      } catch (e) {
        const code = e instanceof DomainError ? FETCH_REFUSALS[e.code] : undefined;
        if (code) throw refuse(code, (e as DomainError).message.replace(/\bimage\b/g, 'audio'));
        throw e;
      }
    } else buffer = source.buffer;
    if (buffer.length > env.AUDIO_MAX_BYTES) throw refuse('audio_too_large', `A sound track may be at most ${env.AUDIO_MAX_BYTES} bytes.`);
    const detected = await fileTypeFromBuffer(buffer);
    const type = detected && ACCEPTED[detected.ext];
    if (!type)
      throw refuse('audio_unsupported_type', `A sound track is MP3, AAC, M4A or WAV; these bytes are ${detected ? detected.mime : 'of no known type'}.`);
    const dir = await mkdtemp(join(tmpdir(), 'leoma-audio-in-'));
    try {
      const path = join(dir, `track.${type.ext}`);
      await writeFile(path, buffer);
      const probe = await probeAudio(path).catch((e: unknown) => {
        if (e instanceof AudioProbeError) throw refuse('audio_invalid', `The sound track cannot be read: ${e.message}.`);
        // Starved, not defeated by the file: neither refused nor kept, and worth sending again.
        if (e instanceof ProbeStarved)
          throw new DomainError(
            'media_check_unavailable',
            'The server is too busy to read the sound track right now; nothing was kept. Retry shortly.',
            {},
            { 'Retry-After': '5' },
          );
        throw e;
      });
      if (probe.durationSeconds > env.AUDIO_MAX_SECONDS)
        throw refuse('audio_too_long', `A sound track may be at most ${env.AUDIO_MAX_SECONDS} s long; this one is ${probe.durationSeconds.toFixed(1)} s.`);
      return { buffer, ...type, durationSeconds: probe.durationSeconds, sha256: createHash('sha256').update(buffer).digest('hex') };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
