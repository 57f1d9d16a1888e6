import { join } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/support/long-first-sequencer.js';

// Every test file runs in a fresh process that loads Nest, TypeORM, BullMQ, the AWS SDK and the
// chain client again; V8's code cache on disk (Node's module compile cache, inherited by the forks
// and by the processes tests start through this variable) spares each of them compiling those
// modules again: about 1.2 s of CPU per file measured with --cpu-prof, a sixth of its import time.
process.env.NODE_COMPILE_CACHE ??= join(process.cwd(), '.build', 'node-compile-cache');

export default defineConfig({
  // Vite's own TypeScript transform cannot emit decorator metadata, which Nest's constructor
  // injection relies on. SWC can; unplugin-swc reads experimentalDecorators, emitDecoratorMetadata
  // and useDefineForClassFields from tsconfig.json and turns Vite's transform off.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Decorators record their metadata through Reflect.metadata; load the polyfill before any
    // test module so no class is decorated without it.
    setupFiles: ['reflect-metadata', 'test/support/compile-cache.ts'],
    // Child processes rather than worker threads: test files start servers and native modules,
    // and a crash stays inside its own process.
    pool: 'forks',
    // Vitest's default on two cores is a single fork, which runs the files one after another; the
    // end-to-end files spend most of their time waiting on processes, queues and backends, so three
    // at once finish the suite in about half the time on the CI machine's two cores.
    maxWorkers: 3,
    sequence: { sequencer: LongFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
