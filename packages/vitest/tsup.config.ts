import { packageConfig } from '../../tsup.config.base';

// `src/setup.ts` is the workers' setup file; only its ESM build is exported (`vitest` itself is ESM only).
export default packageConfig(['src/index.ts', 'src/setup.ts'], { noExternal: ['@promise-failure/reporting'], shims: true });
