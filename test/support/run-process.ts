import { spawn } from 'node:child_process';

export interface RunResult {
  /** The exit code, or `null` when the process was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  durationMs: number;
}

export interface RunOptions {
  cwd: string;
  /** The whole environment of the child: nothing is inherited unless passed here. */
  env: NodeJS.ProcessEnv;
  /** Kill the child (SIGKILL) after this many ms. Default 90,000. */
  timeout?: number;
}

/** Runs a real process to completion and collects its output; never rejects for a non-zero exit. */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 90_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}
