import { writeSync } from 'node:fs';

/** Writes one line to stderr. A closed or broken stderr is no reason to fail the run, so it never throws. */
export function printLine(line: string): void {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // Nowhere to say it.
  }
}

/**
 * Writes one line to stderr synchronously, for the process's `exit` event, where an asynchronous write may
 * never be flushed (and Jest's `--forceExit` has replaced `process.stderr.write`). Never throws.
 */
export function printLineAtExit(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // Nowhere to say it.
  }
}
