import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunResult, runProcess } from './run-process.js';

/** The repository's root: where `npm pack --workspace=…` runs. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs npm with nothing of the machine's environment but `PATH` and `HOME` (so its cache and registry
 * settings are the user's), and a generous timeout: npm reaches the registry. Never rejects for a non-zero exit.
 */
export function runNpm(args: readonly string[], cwd: string, timeout = 180_000): Promise<RunResult> {
  return runProcess('npm', args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), npm_config_update_notifier: 'false' },
    timeout,
  });
}

/** {@link runNpm}, for steps that must succeed: rejects with npm's stderr otherwise; resolves with its stdout. */
export async function npm(args: readonly string[], cwd: string): Promise<string> {
  const run = await runNpm(args, cwd);
  if (run.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${run.code}):\n${run.stderr}`);
  return run.stdout;
}

/**
 * Packs built workspaces (`packages/core`, …) as `npm publish` would, into `destination`; returns each
 * tarball's path, in the order given. Run `turbo run build` first: a package's `dist` is what is packed.
 */
export async function packWorkspaces(workspaces: readonly string[], destination: string): Promise<string[]> {
  const packed = JSON.parse(
    await npm(
      ['pack', '--json', `--pack-destination=${destination}`, ...workspaces.map((workspace) => `--workspace=${workspace}`)],
      repositoryRoot,
    ),
  ) as { filename: string }[];
  return packed.map((each) => path.join(destination, each.filename));
}
