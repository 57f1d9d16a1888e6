import { loadOnUse } from '../platform/lifecycle/load-on-use.js';

/**
 * The api's and the worker's first import (main-api.ts, main-worker.ts): how modules load must be
 * settled before any other module is evaluated (platform/lifecycle/load-on-use.ts).
 */
loadOnUse();
