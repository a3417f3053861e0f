import { packageConfig } from '../../tsup.config.base';

export default packageConfig(['src/index.ts', 'src/environment.ts', 'src/environment-jsdom.ts'], {
  noExternal: ['@promise-failure/reporting'],
  // Jest's environment packages are the project's (the running Jest's), never bundled.
  external: ['jest-environment-node', 'jest-environment-jsdom'],
  // `import.meta.url` in the CommonJS build (the kit's declaration and the environment find their files).
  shims: true,
});
