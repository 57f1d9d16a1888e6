import { createServer } from 'node:net';

/**
 * Asks the kernel for an unused TCP port on 127.0.0.1 by binding to port 0 and releasing it.
 * Another process could grab the port before the caller binds it; the window is tiny and the
 * kernel hands out ephemeral ports in rotation, which is good enough for dev and tests.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a freshly bound socket'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
