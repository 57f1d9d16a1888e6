import { flushCompileCache } from 'node:module';
import { afterAll } from 'vitest';

// Node writes its module compile cache when a process exits normally, but Vitest ends its forks
// without that; written after each file instead, the next files' processes load the modules from it.
afterAll(() => flushCompileCache());
