/**
 * The dated API versions, oldest first, and what each changed. The code speaks the newest
 * version; an older one is answered by undoing, newest first, each change made after it
 * (`downgrade`), so an integration pinned to a date keeps the shapes it was written against.
 * CHANGELOG.md says the same for people; docs/versions.md holds the deprecation policy.
 */
export interface ApiVersionChange {
  /** One line for the changelog and the docs. */
  summary: string;
  /** Turns one object of the newer shape into the older one (objects are found by their `object` field). */
  object: string;
  downgrade(value: Record<string, unknown>): Record<string, unknown>;
}

export const API_VERSIONS = [
  { version: '2026-06-01', changes: [] as ApiVersionChange[] },
  {
    version: '2026-12-01',
    changes: [
      {
        summary:
          "The video object's `expired_at` is renamed `output_expired_at`: what expires after the plan's retention is the video's stored output, while the video itself stays readable.",
        object: 'video',
        downgrade: ({ output_expired_at, ...rest }) => ({ ...rest, expired_at: output_expired_at }),
      },
    ],
  },
] as const satisfies readonly { version: string; changes: ApiVersionChange[] }[];

export type ApiVersion = (typeof API_VERSIONS)[number]['version'];

export const VERSION_NAMES: readonly string[] = API_VERSIONS.map((v) => v.version);

/** What a new key is pinned to. */
export const LATEST_API_VERSION = API_VERSIONS.at(-1)!.version as ApiVersion;

export const isApiVersion = (value: string): value is ApiVersion => VERSION_NAMES.includes(value);

/** The changes made after `version`, newest first: the order to undo them in. */
function changesAfter(version: ApiVersion): ApiVersionChange[] {
  return API_VERSIONS.slice(VERSION_NAMES.indexOf(version) + 1)
    .flatMap((v) => v.changes as readonly ApiVersionChange[])
    .reverse();
}

/** A response body as `version` answers it: every object it holds (lists and nested ones too) taken back through the later changes. */
export function downgrade(body: unknown, version: ApiVersion): unknown {
  const changes = changesAfter(version);
  if (changes.length === 0) return body;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value)) return value;
    let object: Record<string, unknown> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    for (const change of changes) if (object.object === change.object) object = change.downgrade(object);
    return object;
  };
  return walk(body);
}
