import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How long a message may be in a reason: one line, short enough to read in Buildkite's UI. */
export const maxMessageLength = 200;

/**
 * A reason as every reporter words it: the runner, what failed, and its file relative to the working
 * directory when known, e.g. `jest: login › rejects bad password failed (test/login.test.js)`.
 */
export function formatReason(runner: string, what: string, file?: string, cwd = process.cwd()): string {
  return file ? `${runner}: ${what} (${relativePath(file, cwd)})` : `${runner}: ${what}`;
}

/** `test/login.test.js`: `file` (a path, absolute or relative, or a file URL) relative to `cwd`, with `/`. */
export function relativePath(file: string, cwd = process.cwd()): string {
  const absolute = file.startsWith('file://') ? fileURLToPath(file) : path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute) || file;
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** The first line of `text` that is not blank, trimmed, without ANSI colours and cut to {@link maxMessageLength}. */
export function firstLine(text: string | null | undefined): string | undefined {
  const line = stripAnsi(text ?? '')
    .split('\n')
    .map((part) => part.trim())
    .find((part) => part !== '');
  if (line === undefined) return undefined;
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength - 1)}…` : line;
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
