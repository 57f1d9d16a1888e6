/**
 * `node:crypto` in the browser build (vite.config.ts aliases it here): the shared client asks it
 * for request ids, which Web Crypto gives. Webhook verification also lives in client/ but belongs
 * on the customer's server, holding the signing secret; it is never called here (and tree-shaken out).
 */
export const randomUUID = (): string => globalThis.crypto.randomUUID();

const serverOnly = (): never => {
  throw new Error('Webhook signatures are verified on your server, not in the browser');
};
export const createHmac = serverOnly;
export const timingSafeEqual = serverOnly;
