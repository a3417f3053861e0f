/**
 * Playwright builds each reporter's options as `{ ...its own, ...the user's }`: `configDir`, `_mode` and
 * `_commandHash` always, `onlyFailures` when listing (1.65). These are not the user's, so they are set aside
 * before the user's options are checked (an unknown key is refused, to catch typos).
 */
export interface SplitOptions {
  /** `_mode`: `test`, `list`, or `merge` under `playwright merge-reports`. */
  readonly mode: string | undefined;
  /** What the user wrote in `['@promise-failure/playwright', { … }]`. */
  readonly userOptions: unknown;
}

const playwrightKeys = new Set(['configDir', 'onlyFailures']);

export function splitOptions(options: unknown): SplitOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return { mode: undefined, userOptions: options };
  const userOptions: Record<string, unknown> = {};
  let mode: string | undefined;
  for (const [key, value] of Object.entries(options)) {
    if (key === '_mode') mode = typeof value === 'string' ? value : undefined;
    else if (!key.startsWith('_') && !playwrightKeys.has(key)) userOptions[key] = value;
  }
  return { mode, userOptions };
}
