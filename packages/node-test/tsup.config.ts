import { packageConfig } from '../../tsup.config.base';

export default packageConfig(['src/index.ts'], { cjsInterop: true, noExternal: ['@promise-failure/reporting'], shims: true });
