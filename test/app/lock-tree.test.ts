import { describe, expect, it } from 'vitest';
import { productionTreeDifference } from '../support/lock-tree.js';

/** The previous-release test runs an older release with this checkout's node_modules only when this says its packages are the same. */
describe('productionTreeDifference', () => {
  const previous = {
    packages: {
      '': { dependencies: { express: '^5.0.0' }, devDependencies: { vitest: '^4.0.0' } },
      'node_modules/express': { version: '5.1.0', dependencies: { cookie: '^0.7.1' }, optionalDependencies: { 'fast-bin': '1.0.0' } },
      'node_modules/cookie': { version: '0.7.2' },
      'node_modules/fast-bin': { version: '1.0.0', optionalDependencies: { 'fast-bin-darwin': '1.0.0' } },
      'node_modules/fast-bin-darwin': { version: '1.0.0', os: ['darwin'] },
    },
  };

  it('finds none when the same versions resolve from each package, however hoisted, with packages added and platform binaries skipped', () => {
    const current = {
      packages: {
        'node_modules/cookie': { version: '1.1.1' },
        'node_modules/express': { version: '5.1.0', dependencies: { cookie: '^0.7.1' } },
        'node_modules/express/node_modules/cookie': { version: '0.7.2' },
        'node_modules/fast-bin': { version: '1.0.0' },
        'node_modules/marked': { version: '18.0.0' },
      },
    };
    expect(productionTreeDifference(previous, current)).toBeNull();
  });

  it('names a package that resolves to another version, or is missing', () => {
    const hoisted = {
      packages: {
        'node_modules/cookie': { version: '1.1.1' },
        'node_modules/express': { version: '5.1.0' },
        'node_modules/fast-bin': { version: '1.0.0' },
      },
    };
    expect(productionTreeDifference(previous, hoisted)).toBe('node_modules/cookie: 0.7.2 there, 1.1.1 here');
    const upgraded = { packages: { ...hoisted.packages, 'node_modules/express': { version: '5.2.0' } } };
    expect(productionTreeDifference(previous, upgraded)).toBe('node_modules/express: 5.1.0 there, 5.2.0 here');
    const { 'node_modules/fast-bin': _, ...withoutOptional } = hoisted.packages;
    const missing = { packages: { ...withoutOptional, 'node_modules/cookie': { version: '0.7.2' } } };
    expect(productionTreeDifference(previous, missing)).toBe('node_modules/fast-bin: 1.0.0 there, missing here');
  });
});
