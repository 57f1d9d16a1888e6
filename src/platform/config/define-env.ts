import { z } from 'zod';
import { registerSecretValue } from './secret-values.js';

/**
 * Each module declares its own env schema with this helper so that a bad variable is reported
 * at start-up, by name, instead of failing lazily on first use.
 */
export class EnvError extends Error {}

export interface EnvOptions<T extends z.ZodRawShape> {
  /**
   * Switches that loosen a safety check for local work (e.g. private addresses allowed): with
   * NODE_ENV=production the process refuses to start while any of them is on, so a copied dev
   * config cannot open a hole in production.
   */
  devOnly?: (keyof T & string)[];
  /** Fields holding secrets: their values are cut out of every log line wherever they appear. */
  secrets?: (keyof T & string)[];
}

export function defineEnv<T extends z.ZodRawShape>(module: string, shape: T, options: EnvOptions<T> = {}) {
  const schema = z.object(shape);
  let cached: z.infer<typeof schema> | undefined;
  const load = (source: NodeJS.ProcessEnv = process.env): z.infer<typeof schema> => {
    const result = schema.safeParse(source);
    const lines = result.success ? [] : result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    if (source.NODE_ENV === 'production' && result.success) {
      const data = result.data as Record<string, unknown>;
      for (const name of options.devOnly ?? []) {
        if (data[name] === true) lines.push(`  ${name}: must not be enabled when NODE_ENV=production (development and tests only)`);
      }
    }
    if (!result.success || lines.length > 0) {
      throw new EnvError(`Invalid configuration for ${module}:\n${lines.join('\n')}`);
    }
    for (const name of options.secrets ?? []) registerSecretValue((result.data as Record<string, unknown>)[name]);
    return result.data;
  };
  return {
    module,
    shape,
    /** Parsed once per process; tests that change env call `reload`. */
    get: () => (cached ??= load()),
    reload: () => (cached = load()),
    load,
  };
}

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback);

/** A variable holding JSON, parsed and then checked against `schema`. */
export const json = <T extends z.ZodType>(schema: T, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
