import { LeomaProblemError } from '../../../sdk/js/src/problem-error.js';
import type { Connection } from './connection.js';

/** Fetches an authenticated file (a manifest, a statement) and hands it to the browser as a download. */
export async function download(connection: Connection, path: string, filename: string): Promise<void> {
  const res = await connection.fetch(path);
  if (!res.ok) throw new LeomaProblemError(await res.json(), res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
