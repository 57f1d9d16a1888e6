import type { Express, Request, Response } from 'express';
import { titleFor } from './problem.js';

/** One catalogued problem code as its page shows it. */
export interface ErrorPageRow {
  code: string;
  statuses: readonly number[];
  module: string;
  when: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The catalogue's `when` texts use Markdown code spans; nothing else of Markdown. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Leoma API</title>` +
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}code{background:#f0f2f4;padding:0 .25em;border-radius:3px}table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style>' +
  `</head><body>${body}</body></html>`;

function codePage(row: ErrorPageRow): string {
  const statuses = row.statuses.map((s) => `${s} ${escapeHtml(titleFor(s))}`).join(', ');
  return page(
    row.code,
    `<p><a href="/errors">All error codes</a> · <a href="/docs">API reference</a></p>` +
      `<h1><code>${escapeHtml(row.code)}</code></h1>` +
      `<p><strong>HTTP ${statuses}</strong></p>` +
      `<p>When: ${inline(row.when)}.</p>` +
      '<h2>In the answer</h2>' +
      `<p>An <code>application/problem+json</code> body whose <code>code</code> is <code>${escapeHtml(row.code)}</code> and whose <code>type</code> links here; ` +
      '<code>detail</code> says what happened this time, <code>request_id</code> identifies the request (quote it to support), and <code>errors[]</code>, when present, names each field at fault.</p>' +
      '<h2>What to do</h2>' +
      `<p>${
        row.statuses.some((s) => s === 429 || s >= 500)
          ? "Retry after the <code>Retry-After</code> header's seconds (or with exponential backoff when there is none), with the same <code>Idempotency-Key</code> for a POST: the SDKs do this for you."
          : 'Do not retry unchanged: the same request gets the same answer. Fix what <code>detail</code> and <code>errors[]</code> name, then send it again.'
      }</p>`,
  );
}

function indexPage(rows: ErrorPageRow[]): string {
  const lines = rows.map(
    (r) =>
      `<tr><td><a href="/errors/${encodeURIComponent(r.code)}"><code>${escapeHtml(r.code)}</code></a></td><td>${r.statuses.join(' / ')}</td><td>${inline(r.when)}</td></tr>`,
  );
  return page(
    'Error codes',
    '<p><a href="/docs">API reference</a></p><h1>Error codes</h1>' +
      "<p>Every problem answer carries one of these in <code>code</code>; its <code>type</code> is the link to the code's page.</p>" +
      `<table><thead><tr><th>code</th><th>status</th><th>when</th></tr></thead><tbody>${lines.join('')}</tbody></table>`,
  );
}

/**
 * `GET /errors` and `GET /errors/{code}`: one page per catalogued problem code, built from the
 * error catalogues at start, so every problem's `type` URI resolves to its page. Outside Nest's
 * router (no key needed, nothing in the OpenAPI document), like /openapi.json.
 */
export function serveErrorPages(express: Express, rows: ErrorPageRow[]): void {
  const pages = new Map(rows.map((r) => [r.code, codePage(r)]));
  const index = indexPage(rows);
  express.get('/errors', (_req: Request, res: Response) => {
    res.type('html').send(index);
  });
  express.get('/errors/:code', (req: Request, res: Response) => {
    const html = pages.get(String(req.params.code));
    res
      .status(html ? 200 : 404)
      .type('html')
      .send(html ?? page('Unknown error code', `<h1>No such error code</h1><p><a href="/errors">All error codes</a></p>`));
  });
}
