// Lets plain `node --experimental-transform-types` run this repository's TypeScript: imports name
// the compiled `.js`, which only exists as `.ts` in the source tree.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.endsWith('.js') || !(specifier.startsWith('.') || specifier.startsWith('/'))) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
