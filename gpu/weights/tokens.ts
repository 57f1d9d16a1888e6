import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where one registry's credential comes from: the first non-empty environment variable, else the file. */
export interface TokenSource {
  env?: readonly string[];
  /** A file holding the token (or a full `Bearer …`/`Basic …` value, as `hippius-hub login` saves it). */
  file?: string | null;
  /** A user name and password pair (environment variable names), for a Basic login to the token service. */
  basicEnv?: { username: readonly string[]; password: readonly string[] };
}

export interface TokenSources {
  hf?: TokenSource;
  hub?: TokenSource;
}

/** The names the validators read (leoma/infra/model_store.py) and the clients' own saved-token files. */
export function defaultTokenSources(env: NodeJS.ProcessEnv): Required<TokenSources> {
  const hfHome = env.HF_HOME ?? join(homedir(), '.cache', 'huggingface');
  return {
    hf: { env: ['HF_TOKEN', 'HUGGINGFACE_API_KEY', 'HUGGING_FACE_HUB_TOKEN'], file: env.HF_TOKEN_PATH ?? join(hfHome, 'token') },
    hub: {
      env: ['HIPPIUS_HUB_TOKEN', 'HIPPIUS_TOKEN', 'LEOMA_HIPPIUS_TOKEN'],
      file: join(homedir(), '.cache', 'hippius', 'hub', 'token'),
      basicEnv: {
        username: ['HIPPIUS_HUB_USERNAME', 'HIPPIUS_REGISTRY_USERNAME', 'LEOMA_HIPPIUS_USERNAME'],
        password: ['HIPPIUS_HUB_PASSWORD', 'HIPPIUS_REGISTRY_PASSWORD', 'LEOMA_HIPPIUS_PASSWORD'],
      },
    },
  };
}

/** A resolved credential: the Authorization header value, and the strings that must never be shown. */
export interface Credential {
  authorization: string | null;
  secrets: string[];
}

function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[] | undefined): string | undefined {
  for (const name of names ?? []) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

export async function resolveCredential(source: TokenSource | undefined, env: NodeJS.ProcessEnv): Promise<Credential> {
  let token = firstEnv(env, source?.env);
  if (!token && source?.file) token = (await readFile(source.file, 'utf8').catch(() => '')).trim() || undefined;
  if (token) {
    const authorization = /^(Bearer|Basic) /.test(token) ? token : `Bearer ${token}`;
    const raw = authorization.slice(authorization.indexOf(' ') + 1);
    const secrets = [token, raw];
    // A Basic value decodes to `user:password`; the password alone must not leak either.
    if (authorization.startsWith('Basic ')) {
      const decoded = Buffer.from(raw, 'base64').toString('utf8');
      if (decoded.includes(':')) secrets.push(decoded.slice(decoded.indexOf(':') + 1));
    }
    return { authorization, secrets };
  }
  const username = firstEnv(env, source?.basicEnv?.username);
  const password = firstEnv(env, source?.basicEnv?.password);
  if (username && password) {
    const raw = Buffer.from(`${username}:${password}`).toString('base64');
    return { authorization: `Basic ${raw}`, secrets: [raw, password] };
  }
  return { authorization: null, secrets: [] };
}
