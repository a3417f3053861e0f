import { packageConfig } from '../../tsup.config.base';

export default packageConfig(['src/index.ts', 'src/cli.ts'], { noExternal: ['p-memoize', 'p-retry'] });
