import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM and CommonJS with declarations, for Node 20.19+.
 * Each package's `tsup.config.ts` is a single line naming its entries (and, for the core, the
 * ESM-only dependencies that its CommonJS build must carry inside, since Jest and Mocha 11 load
 * reporters with `require`).
 */
export function packageConfig(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    splitting: true,
    shims: false,
    treeshake: false,
    ...overrides,
  });
}
