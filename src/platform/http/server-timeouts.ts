import type { Server } from 'node:http';
import { appEnv } from '../config/app.env.js';

/**
 * Bounds how slowly a client may send a request, so a few connections trickling bytes (slowloris)
 * cannot hold the API's sockets. Node enforces these only when it sweeps its connections, every
 * 30 s by default; a one-second sweep makes the limits mean what they say. Must run before listen.
 */
export function applyServerTimeouts(server: Server): void {
  const env = appEnv.get();
  server.headersTimeout = env.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = env.HTTP_REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = env.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  // Typed only as a createServer option, but read when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, env.HTTP_HEADERS_TIMEOUT_MS);
}
