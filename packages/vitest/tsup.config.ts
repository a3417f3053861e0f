import { packageConfig } from '../../tsup.config.base';

// `src/setup.ts` is the workers' setup file; only its ESM build is exported (`vitest` itself is ESM only). No
// shared chunks: Vitest loads the setup file in every test file's worker, and one module costs less than two.
export default packageConfig(['src/index.ts', 'src/setup.ts'], {
  noExternal: ['@promise-failure/reporting'],
  shims: true,
  splitting: false,
});
