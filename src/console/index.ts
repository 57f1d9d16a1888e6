/** The browser console and back office (built from console/ by `npm run build`), served at /console with a strict Content-Security-Policy; it calls only the public API. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export { serveConsole } from './serve-console.js';
export { consoleEnv } from './console.env.js';
