import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real directory of this package's built files (`dist`), in both the CommonJS and the ESM build (tsup's
 * `shims` give the CommonJS build its `import.meta.url`).
 */
export function ownDirectory(): string {
  const file = fileURLToPath(import.meta.url);
  try {
    return path.dirname(realpathSync(file));
  } catch {
    return path.dirname(file);
  }
}
