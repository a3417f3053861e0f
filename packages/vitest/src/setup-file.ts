import { fileURLToPath } from 'node:url';

/**
 * The absolute path of the workers' setup file, `dist/setup.js`, beside this bundle (tsup's `shims` give
 * the CommonJS build an `import.meta.url` too). Vitest resolves `setupFiles` before plugins see them, so
 * the plugin adds the path as Vitest would have resolved `@promise-failure/vitest/setup`.
 */
export function setupFilePath(): string {
  return fileURLToPath(new URL('./setup.js', import.meta.url));
}
