import express, { type Express, type Request } from 'express';

const PARSED = Symbol('leoma.query');
type Parsed = Request & { [PARSED]?: { url: string; query: unknown } };

/**
 * Express 5's `req.query` is a getter that parses the query string on every read, and a request
 * reads it at least twice: the edge checks (edge-input.interceptor.ts), then a handler's @Query
 * (once per parameter). In `app`, each request parses it once; if its URL changes in between (a
 * router mounted on a path strips it), the next read parses again.
 */
export function parseQueryOnce(app: Express): void {
  const parse = Object.getOwnPropertyDescriptor(express.request, 'query')!.get!;
  Object.defineProperty(app.request, 'query', {
    configurable: true,
    enumerable: true,
    get(this: Parsed) {
      const parsed = this[PARSED];
      if (parsed?.url === this.url) return parsed.query;
      const query: unknown = parse.call(this);
      this[PARSED] = { url: this.url, query };
      return query;
    },
  });
}
