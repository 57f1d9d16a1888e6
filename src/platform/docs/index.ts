/** The customer documentation served at /docs: the API reference (Redoc over the public spec) and the guides in docs/guides. */
export { serveDocs, redocBundlePath } from './serve-docs.js';
