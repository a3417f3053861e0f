// How long `import '@promise-failure/core'` takes in a fresh process, and whether it loaded undici.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const started = performance.now();
const core = await import('@promise-failure/core');
const ms = performance.now() - started;
const startedCjs = performance.now();
require('@promise-failure/core');
const cjsMs = performance.now() - startedCjs;
const undiciLoaded = Object.keys(require.cache).some((path) => path.includes('/undici/'));
process.stdout.write(JSON.stringify({ ms, cjsMs, undiciLoaded, exported: typeof core.promiseFailure }));
