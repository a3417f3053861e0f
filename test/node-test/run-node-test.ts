import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nodesDirectory = path.join(root, 'tools/nodes');

/** The fixture project every run works in. */
export const project = fileURLToPath(new URL('./fixtures/project', import.meta.url));

export interface NodeVersion {
  /** e.g. 22 */
  readonly major: number;
  readonly bin: string;
  /** The flag that turns process isolation off, where this major has one. */
  readonly isolationNone: string | undefined;
}

/**
 * Each supported major once: the Node running the tests (20 on the machine; whatever `npm run test:matrix`
 * put first on PATH), and 22 and 24 from tools/nodes (see {@link installNodes}).
 */
export function nodeVersions(): NodeVersion[] {
  const candidates = [
    process.execPath,
    path.join(nodesDirectory, 'node_modules/node22/bin/node'),
    path.join(nodesDirectory, 'node_modules/node24/bin/node'),
  ];
  const byMajor = new Map<number, NodeVersion>();
  for (const bin of candidates) {
    const major = bin === process.execPath ? Number(process.versions.node.split('.')[0]) : Number(/node(\d+)\/bin/.exec(bin)?.[1]);
    if (byMajor.has(major)) continue;
    const isolationNone = major >= 24 ? '--test-isolation=none' : major >= 22 ? '--experimental-test-isolation=none' : undefined;
    byMajor.set(major, { major, bin, isolationNone });
  }
  return [...byMajor.values()].sort((a, b) => a.major - b.major);
}

/**
 * Node 22 and 24 are npm packages in tools/nodes: installed here when missing (a fresh CI machine runs
 * `npm ci` at the root only). Once, before the first run.
 */
export async function installNodes(): Promise<void> {
  if (nodeVersions().every(({ bin }) => existsSync(bin))) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { cwd: nodesDirectory, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm ci in tools/nodes exited ${code}:\n${stderr}`))));
  });
}

/** `node --test` with Node's spec reporter on stdout and ours on stderr, as the README says. */
export const reporterArgs = [
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=@promise-failure/node-test',
  '--test-reporter-destination=stderr',
] as const;

/** The same run without our reporter. */
export const specOnlyArgs = ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout'] as const;

/**
 * Node's debug log of the modules it loads, ES modules and CommonJS, on stderr (a test file's on stdout,
 * through the spec reporter): whether the core was loaded, on every version alike (Node 24 runs no
 * `--import` in the runner's own process, so a loader hook cannot tell). CommonJS too: the reporters load
 * the core with `require`.
 */
export const moduleLogEnv = { NODE_DEBUG: 'esm,module' } as const;

/** The spec reporter's output without what changes from run to run (durations). */
export function specOutput(stdout: string): string {
  return stdout
    .replace(/\(\d+(?:\.\d+)?ms\)/g, '(…ms)')
    .replace(/duration_ms \d+(?:\.\d+)?/g, 'duration_ms …')
    .trim();
}
