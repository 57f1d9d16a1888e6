import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeRows } from '../../src/app/error-codes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every problem `type` resolves to a page (issue 37 item 5): one per catalogued code, generated
 * from the error catalogues, and an index linking them all.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('/errors/{code}', () => {
  it('serves a page for every catalogued code, saying its status and when it comes', async () => {
    const rows = errorCodeRows();
    expect(rows.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const row of rows) {
      const res = await fetch(`${app.url}/errors/${row.code}`);
      const html = await res.text();
      if (
        res.status !== 200 ||
        !res.headers.get('content-type')?.startsWith('text/html') ||
        !html.includes(`<code>${row.code}</code>`) ||
        !html.includes(`HTTP ${row.statuses[0]}`)
      ) {
        missing.push(row.code);
      }
    }
    expect(missing).toEqual([]);
    expect((await fetch(`${app.url}/errors/no_such_code`)).status).toBe(404);
  });

  it("a real problem's type resolves to its code's page", async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/videos/vid_doesnotexist', { key });
    const problem = (await res.json()) as { type: string; code: string };
    expect(problem.code).toBe('resource_not_found');
    const page = await fetch(new URL(problem.type, `${app.url}/v1/videos/vid_doesnotexist`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<code>resource_not_found</code>');
  });

  it('the index links every code, and each link resolves', async () => {
    const html = await (await fetch(`${app.url}/errors`)).text();
    const links = [...html.matchAll(/href="(\/errors\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links.sort()).toEqual(
      errorCodeRows()
        .map((r) => `/errors/${r.code}`)
        .sort(),
    );
    for (const link of [...html.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!).filter((l) => !l.startsWith('/errors/'))) {
      expect((await fetch(`${app.url}${link}`)).status, link).toBe(200);
    }
  });
});
