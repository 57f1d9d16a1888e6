/** The admin API as the CLI sees it: an operator key, JSON in, JSON or a problem out. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<Record<string, any>>;
  /** A GET whose answer is not JSON (a CSV export), as text. */
  text(path: string): Promise<string>;
  /** A multipart request (a file upload), JSON back. */
  form(method: string, path: string, body: FormData): Promise<Record<string, any>>;
  /** A GET whose body the caller streams (a large manifest); a problem is thrown as an ApiError. */
  raw(path: string): Promise<Response>;
}

export function apiClient(baseUrl: string | undefined, key: string | undefined): ApiClient {
  if (!baseUrl) throw new ApiError(0, 'config', 'Set LEOMA_API_URL (e.g. http://127.0.0.1:3000).');
  if (!key) throw new ApiError(0, 'config', 'Set LEOMA_API_KEY to an operator key (lk_op_…), or a tenant key for `leoma batches`.');
  const json = async (res: Response) => {
    const body = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (!res.ok) {
      const fields = (body.errors ?? []).map((e: { param: string; message: string }) => `\n  ${e.param}: ${e.message}`).join('');
      // A refused batch names its bad rows.
      const rows = (body.rows ?? [])
        .slice(0, 20)
        .map(
          (r: { row: number; errors: { param: string; message: string }[] }) =>
            `\n  row ${r.row}: ${r.errors.map((e) => `${e.param} ${e.message}`).join('; ')}`,
        )
        .join('');
      throw new ApiError(res.status, body.code ?? 'http_error', `${body.detail ?? res.statusText} (${body.code ?? res.status})${fields}${rows}`);
    }
    return body;
  };
  return {
    async call(method, path, body) {
      return json(
        await fetch(new URL(path, baseUrl), {
          method,
          headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    },
    async form(method, path, body) {
      return json(await fetch(new URL(path, baseUrl), { method, headers: { authorization: `Bearer ${key}` }, body }));
    },
    async raw(path) {
      const res = await fetch(new URL(path, baseUrl), { headers: { authorization: `Bearer ${key}` } });
      if (!res.ok) await json(res);
      return res;
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
