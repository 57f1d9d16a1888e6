import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

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
    setupFiles: ['reflect-metadata'],
    // Child processes rather than worker threads: test files start servers and native modules,
    // and a crash stays inside its own process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
