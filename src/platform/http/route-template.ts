import type { IncomingMessage } from 'node:http';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * The route a request matched, as its template (`/v1/videos/:id`), never the raw path: ids in
 * labels and log keys would make every request its own series. Requests no route matched share
 * one value.
 */
export function routeTemplate(req: IncomingMessage): string {
  const r = req as RoutedRequest;
  const path = r.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return r.baseUrl ? r.baseUrl + path : path;
}
