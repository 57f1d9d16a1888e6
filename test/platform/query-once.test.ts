import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { describe, expect, it } from 'vitest';
import { parseQueryOnce } from '../../src/platform/http/query-once.js';

/** What a route saw of `req.query`: the parse, whether a second read was the same object, and a read after its URL changed. */
async function reads(app: Express): Promise<{ query: unknown; same: boolean; afterRewrite: unknown }> {
  app.get('/q', (req, res) => {
    const query = req.query;
    const same = req.query === query;
    req.url = '/q?other=1';
    res.json({ query, same, afterRewrite: req.query });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    return (await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/q?a=1&a=2&c=x%20y`)).json()) as never;
  } finally {
    server.close();
  }
}

describe('req.query, parsed once a request (issue 36)', () => {
  it('Express alone parses it again on every read', async () => {
    expect((await reads(express())).same).toBe(false);
  });

  it('parsed once, to what Express parses; parsed again once the URL changed', async () => {
    const app = express();
    parseQueryOnce(app);
    expect(await reads(app)).toEqual({ query: { a: ['1', '2'], c: 'x y' }, same: true, afterRewrite: { other: '1' } });
  });
});
