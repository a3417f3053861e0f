import { packageConfig } from '../../tsup.config.base';

// `src/declare-worker.ts` is the declaration's worker thread: an entry of its own, so that each build (ESM and
// CommonJS) has a file beside it to start the worker from; `shims` gives the CommonJS build `import.meta.url`.
export default packageConfig(['src/index.ts', 'src/cli.ts', 'src/declare-worker.ts'], {
  noExternal: ['p-memoize', 'p-retry'],
  shims: true,
});
