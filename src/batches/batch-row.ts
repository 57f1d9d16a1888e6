import {
  ASPECT_RATIOS,
  CAMERA_MOTIONS,
  FRAME_RATES,
  MAX_DURATION_SECONDS,
  MAX_VARIANTS,
  RESOLUTIONS,
  type AspectRatio,
  type FrameRate,
  type Resolution,
} from '../core/video-format.js';
import { TRANSITIONS, type Transition } from '../model-capabilities/index.js';
import { AUDIO_TRACKS } from '../videos/index.js';

type AudioTrack = (typeof AUDIO_TRACKS)[number];
import { resolutionAllowed, type Limits } from '../core/limits/effective-limits.js';
import { invalidTextProblems } from '../platform/http/text-rule.js';
import type { FieldProblem } from '../platform/http/problem.js';

/** One item as the customer sent it: a JSON object, or a CSV record with its cells as strings. */
export type RawRow = Record<string, unknown>;

/** A valid item, with the defaults of POST /v1/videos applied. */
export interface BatchItem {
  row: number;
  customId: string;
  image: string;
  prompt: string;
  durationSeconds: number;
  resolution: Resolution;
  aspectRatio: AspectRatio;
  seed?: number;
  camera?: (typeof CAMERA_MOTIONS)[number];
  negativePrompt?: string;
  fps?: FrameRate;
  audio?: AudioTrack;
  transition?: Transition;
  /** Variants of the row (1–4), as `n` on POST /v1/videos: absent, the row is one video outside any group. */
  n?: number;
  /** The customer's sound track: a `file_` id of purpose `audio`, or an https URL; resolved by the intake. */
  audioFile?: string;
  metadata: Record<string, string>;
}

export const CSV_COLUMNS = [
  'custom_id',
  'image',
  'prompt',
  'duration_seconds',
  'resolution',
  'aspect_ratio',
  'seed',
  'camera',
  'negative_prompt',
  'fps',
  'audio',
  'transition',
  'n',
  'audio_file',
] as const;
const FIELDS = new Set<string>([...CSV_COLUMNS, 'metadata']);
const MAX_CUSTOM_ID = 64;
const MAX_PROMPT = 2000;
const MAX_URL = 2048;
const MAX_MEMBER_NAME = 1024;
const MAX_SEED = 4294967295;

const problem = (param: string, code: string, message: string): FieldProblem => ({ param, code, message });

/**
 * The checks of POST /v1/videos for one row, without touching the network: shape, ranges, the
 * text rule, and the plan's duration and resolution. Images are only classified here (file id,
 * data URI or https URL); the batch service checks them in bulk afterwards.
 */
/** `archive`: the batch came with an image archive, so an `image` that is not a URL, data URI or file id names one of its members. */
export function validateRow(
  row: number,
  raw: unknown,
  limits: Limits,
  platformMaxDuration: number,
  archive = false,
): { item: BatchItem } | { errors: FieldProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { errors: [problem('item', 'invalid_type', 'must be an object')] };
  const r = raw as RawRow;
  const errors: FieldProblem[] = invalidTextProblems(r);
  for (const key of Object.keys(r)) if (!FIELDS.has(key)) errors.push(problem(key, 'unknown_field', 'is not a field of a batch item'));

  const customId = text(r, 'custom_id', MAX_CUSTOM_ID, errors, true);
  const prompt = text(r, 'prompt', MAX_PROMPT, errors, true);
  const negativePrompt = text(r, 'negative_prompt', MAX_PROMPT, errors, false);
  const image = text(r, 'image', 20 * 1024 * 1024, errors, true);
  if (image !== undefined) imageProblem(image, errors, archive);

  const durationSeconds = integer(r, 'duration_seconds', 1, MAX_DURATION_SECONDS, errors) ?? 5;
  const maxDuration = Math.min(limits.max_duration_seconds, platformMaxDuration);
  if (durationSeconds > maxDuration) errors.push(problem('duration_seconds', 'duration_not_allowed', `must be ≤ ${maxDuration} on your plan`));
  const seed = integer(r, 'seed', 0, MAX_SEED, errors);
  const resolution = oneOf(r, 'resolution', RESOLUTIONS, errors) ?? '480p';
  if (!resolutionAllowed(resolution, limits.max_resolution))
    errors.push(problem('resolution', 'resolution_not_allowed', `must be ≤ ${limits.max_resolution} on your plan`));
  const aspectRatio = oneOf(r, 'aspect_ratio', ASPECT_RATIOS, errors) ?? '16:9';
  const camera = oneOf(r, 'camera', CAMERA_MOTIONS, errors);
  // As on POST /v1/videos; whether the model and the row's length allow them is the plan's to say (planRender).
  const fps = integer(r, 'fps', 1, 1000, errors);
  if (fps !== undefined && !(FRAME_RATES as readonly number[]).includes(fps))
    errors.push(problem('fps', 'invalid_value', `must be one of ${FRAME_RATES.join(', ')}`));
  const audio = oneOf(r, 'audio', AUDIO_TRACKS, errors);
  const transition = oneOf(r, 'transition', TRANSITIONS, errors);
  const n = integer(r, 'n', 1, MAX_VARIANTS, errors);
  // Its form here; whether the file or URL is a sound track we take is the intake's to say (as on POST /v1/videos).
  const audioFile = text(r, 'audio_file', MAX_URL, errors, false);
  const metadata = stringMap(r.metadata, errors);

  if (errors.length) return { errors };
  return {
    item: {
      row,
      customId: customId!,
      image: image!,
      prompt: prompt!,
      durationSeconds,
      resolution,
      aspectRatio,
      seed,
      camera,
      negativePrompt,
      fps: fps as FrameRate | undefined,
      audio,
      transition,
      n,
      audioFile,
      metadata,
    },
  };
}

/** Absent, null and (from CSV) the empty cell all mean "not given". */
function given(r: RawRow, key: string): unknown {
  const v = r[key];
  return v === '' || v === null ? undefined : v;
}

function text(r: RawRow, key: string, max: number, errors: FieldProblem[], required: boolean): string | undefined {
  const v = given(r, key);
  if (v === undefined) {
    if (required) errors.push(problem(key, 'required', 'is required'));
    return undefined;
  }
  if (typeof v !== 'string') errors.push(problem(key, 'invalid_type', 'must be a string'));
  else if (v.length > max) errors.push(problem(key, 'too_long', `must be at most ${max} characters`));
  else return v;
  return undefined;
}

/** JSON numbers, or CSV cells of digits only. */
function integer(r: RawRow, key: string, min: number, max: number, errors: FieldProblem[]): number | undefined {
  const v = given(r, key);
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push(problem(key, 'invalid_value', `must be an integer from ${min} to ${max}`));
    return undefined;
  }
  return n;
}

function oneOf<T extends string>(r: RawRow, key: string, allowed: readonly T[], errors: FieldProblem[]): T | undefined {
  const v = given(r, key);
  if (v === undefined) return undefined;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  errors.push(problem(key, 'invalid_value', `must be one of ${allowed.join(', ')}`));
  return undefined;
}

/** Metadata as on a video: at most 16 string pairs, keys ≤ 40 and values ≤ 500 characters. */
function stringMap(v: unknown, errors: FieldProblem[]): Record<string, string> {
  if (v === undefined || v === null || v === '') return {};
  const entries = typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : null;
  if (!entries || entries.length > 16 || !entries.every(([k, x]) => k.length > 0 && k.length <= 40 && typeof x === 'string' && x.length <= 500)) {
    errors.push(problem('metadata', 'invalid_value', 'must have at most 16 keys (≤ 40 chars) with string values (≤ 500 chars)'));
    return {};
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * A file id or a data URI is checked by the service; a URL must be https without credentials to be
 * fetched later; with an archive, anything else is a member name, looked up by the service.
 */
function imageProblem(image: string, errors: FieldProblem[], archive: boolean): void {
  if (image.startsWith('file_') || image.startsWith('data:')) return;
  if (archive && !/^https?:\/\//i.test(image)) {
    if (image.length > MAX_MEMBER_NAME) errors.push(problem('image', 'too_long', `an archive member name is at most ${MAX_MEMBER_NAME} characters`));
    return;
  }
  let url: URL | undefined;
  try {
    url = new URL(image);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.username || url.password || image.length > MAX_URL) {
    errors.push(problem('image', 'image_url_invalid', 'must be an https URL without credentials (≤ 2048 characters), a data: URI or a file_ id'));
  }
}
