// Shared pieces of the benchmark: child processes, medians, a temporary lock directory per scenario.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

export { median } from './stats.mjs';

const scratchDirectories = new Set();

/** A fresh directory, removed at exit. */
export function scratch(prefix = 'pf-bench-') {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  if (scratchDirectories.size === 0) {
    process.on('exit', () => {
      for (const each of scratchDirectories) rmSync(each, { recursive: true, force: true });
    });
  }
  scratchDirectories.add(directory);
  return directory;
}

/**
 * @typedef {object} RunOptions
 * @property {NodeJS.ProcessEnv} [env] The child's whole environment. Default: this process's.
 * @property {string} [cwd] Default: the repository's root.
 * @property {number} [timeout] Milliseconds before the child is killed (SIGKILL). Default: 300 000.
 */

/**
 * @typedef {object} RunResult
 * @property {number | null} code The exit code; `null` when a signal ended the child.
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms Wall time from spawn to close.
 * @property {number | undefined} pid The child's pid (to find its `--cpu-prof` files).
 */

/**
 * Runs a command to completion: { code, stdout, stderr, ms, pid }.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export function run(command, args, { env, cwd = root, timeout = 300_000 } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started, pid: child.pid });
    });
  });
}

/**
 * Starts a process and returns it with a promise of its result.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {Omit<RunOptions, 'timeout'>} [options]
 * @returns {{ child: import('node:child_process').ChildProcess, done: Promise<{ code: number | null, stdout: string }> }}
 */
export function start(command, args, { env, cwd = root } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })));
  return { child, done };
}

export function formatMs(ms) {
  if (ms < 0.01) return `${(ms * 1_000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1_000).toFixed(0)} µs`;
  if (ms < 10_000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return `${(ms / 1_000).toFixed(1)} s`;
}
