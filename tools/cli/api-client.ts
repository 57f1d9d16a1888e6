/** The admin API as the CLI sees it: an operator key, JSON in, JSON or a problem out. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<Record<string, any>>;
  /** A GET whose answer is not JSON (a CSV export), as text. */
  text(path: string): Promise<string>;
}

export function apiClient(baseUrl: string | undefined, key: string | undefined): ApiClient {
  if (!baseUrl) throw new ApiError(0, 'config', 'Set LEOMA_API_URL (e.g. http://127.0.0.1:3000).');
  if (!key) throw new ApiError(0, 'config', 'Set LEOMA_API_KEY to an operator key (lk_op_…).');
  return {
    async call(method, path, body) {
      const res = await fetch(new URL(path, baseUrl), {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, any>;
      if (!res.ok) {
        const fields = (json.errors ?? []).map((e: { param: string; message: string }) => `\n  ${e.param}: ${e.message}`).join('');
        throw new ApiError(res.status, json.code ?? 'http_error', `${json.detail ?? res.statusText} (${json.code ?? res.status})${fields}`);
      }
      return json;
    },
    async text(path) {
      const res = await fetch(new URL(path, baseUrl), { headers: { authorization: `Bearer ${key}` } });
      const body = await res.text();
      if (!res.ok) {
        const problem = JSON.parse(body || '{}') as Record<string, any>;
        throw new ApiError(res.status, problem.code ?? 'http_error', `${problem.detail ?? res.statusText} (${problem.code ?? res.status})`);
      }
      return body;
    },
  };
}
