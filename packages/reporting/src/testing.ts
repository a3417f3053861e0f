import { vi } from 'vitest';

/**
 * For the reporters' unit tests (`@promise-failure/reporting/testing`, never bundled): what the code under
 * test writes to stderr, one entry per write. Undo it with `vi.restoreAllMocks()`.
 */
export function captureStderr(): string[] {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  return writes;
}
