import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Benchmarks reuse the test services (global setup) but are not part of `npm test`.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['bench/**/*.bench-run.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['reflect-metadata'],
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
