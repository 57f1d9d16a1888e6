import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { problemBody } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before Express sees them — a header value with NUL or another
 * control character (so `Idempotency-Key` can never carry one), a malformed request line, headers
 * over the size cap — are answered as problem+json too rather than Node's bare 400. There is no
 * request id yet, and the connection is closed because the stream can no longer be trusted.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && socket.destroyed)) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify(tooLarge
      ? problemBody(431, 'headers_too_large', 'The request headers exceed the size limit.')
      : problemBody(400, 'malformed_request', 'The request could not be parsed as HTTP: a header value may hold a control character, or the request line is malformed.'));
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
