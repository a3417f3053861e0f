import type { ReporterSettings } from '@promise-failure/reporting';

/**
 * The key under which the reporter hands its validated options to Vitest's workers (`provide()` in the
 * main process, `inject()` in a worker). Nothing is provided when the reporter is off, and a worker that
 * finds nothing promises nothing: the reporter is what prints the one line and waits at the end of the run.
 */
export const providedSettingsKey = '@promise-failure/vitest';

/**
 * The key under which the reporter hands the workers the path of the run's shared flush window (the
 * reporter kit's flush-budget.ts says why: Vitest runs each file in a fresh worker while `isolate` is on).
 */
export const providedFlushWindowKey = '@promise-failure/vitest.flushWindow';

/** The window's path a worker received, when it is one. */
export function readProvidedFlushWindow(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The settings a worker received, when they are ours and switched on (a structured clone of `ReporterSettings`). */
export function readProvidedSettings(value: unknown): ReporterSettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const settings = value as ReporterSettings;
  return settings.enabled === true && typeof settings.flushTimeout === 'number' ? settings : undefined;
}
