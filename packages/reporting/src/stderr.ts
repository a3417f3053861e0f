/** Writes one line to stderr. A closed or broken stderr is no reason to fail the run, so it never throws. */
export function printLine(line: string): void {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // Nowhere to say it.
  }
}
