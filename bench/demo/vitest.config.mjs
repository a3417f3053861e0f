// examples/vitest's own config, plus the demo's probe reporter (see vitest-probe.mjs).
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import example from '../../examples/vitest/vitest.config.ts';

export default mergeConfig(example, {
  root: fileURLToPath(new URL('../../examples/vitest', import.meta.url)),
  test: { reporters: [fileURLToPath(new URL('./vitest-probe.mjs', import.meta.url))] },
});
