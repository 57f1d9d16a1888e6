import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { problemBody } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before Express sees them — a header value with NUL or another
 * control character (so `Idempotency-Key` can never carry one), a malformed request line, headers
 * over the size cap, a request sent too slowly — are answered as problem+json too rather than Node's bare 400/408. There is no
 * request id yet, and the connection is closed because the stream can no longer be trusted.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && socket.destroyed)) return socket.destroy();
    const [status, reason, body] = answerTo(err.code);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function answerTo(code: string | undefined): [status: number, reason: string, body: string] {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'Request Header Fields Too Large', JSON.stringify(problemBody(431, 'headers_too_large', 'The request headers exceed the size limit.'))];
  }
  // Node's headersTimeout and requestTimeout (see server-timeouts.ts) both report this code.
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, 'Request Timeout', JSON.stringify(problemBody(408, 'request_timeout', 'The request arrived too slowly and was cut off.'))];
  }
  return [
    400,
    'Bad Request',
    JSON.stringify(
      problemBody(
        400,
        'malformed_request',
        'The request could not be parsed as HTTP: a header value may hold a control character, or the request line is malformed.',
      ),
    ),
  ];
}
