/**
 * A reporter never moves the user's runner: installed into a project that is on a prerelease of its runner
 * (Playwright's own repository is on `1.x.0-alpha-…`), npm must neither refuse (`ERESOLVE`) nor swap the
 * runner for a release. npm decides with `semver.satisfies(version, range, true)` (Arborist's `dep-valid`,
 * no `includePrerelease`) and takes `*` as anything: a prerelease satisfies a range only through a comparator
 * of the same major.minor.patch that has a prerelease too, so `>=1.57` and `>=1.57.0-0` alike refuse
 * `1.65.0-alpha-…`, and only `*` admits every prerelease a runner publishes (Playwright publishes them on
 * every minor and patch). The versions each reporter supports are in its README.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packWorkspaces, repositoryRoot, runNpm } from './support/packed-packages.js';

/** What npm asks of a peer that is installed (Arborist's `dep-valid`, for a registry range). */
function npmAccepts(version: string, range: string): boolean {
  return range === '*' || semver.satisfies(version, range, true);
}

/** The lowest version each runner peer supports (the READMEs'); a new peer must be added here. */
const lowestSupported: Readonly<Record<string, string>> = {
  jest: '29.0.0',
  'jest-environment-node': '29.0.0',
  'jest-environment-jsdom': '29.0.0',
  mocha: '10.0.0',
  vitest: '3.2.0',
  '@playwright/test': '1.57.0',
};

async function peerRanges(): Promise<{ workspace: string; name: string; range: string }[]> {
  const ranges = [];
  for (const directory of await readdir(path.join(repositoryRoot, 'packages'))) {
    const manifest = JSON.parse(await readFile(path.join(repositoryRoot, 'packages', directory, 'package.json'), 'utf8')) as {
      peerDependencies?: Record<string, string>;
    };
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (!name.startsWith('@promise-failure/')) ranges.push({ workspace: `packages/${directory}`, name, range });
    }
  }
  return ranges;
}

describe('every runner peer range (packages/*/package.json)', () => {
  test('admits, as npm checks it, the lowest supported release and prereleases of it and of later versions', async () => {
    const ranges = await peerRanges();
    expect(ranges.map((each) => each.name).sort()).toEqual(Object.keys(lowestSupported).sort());
    for (const { workspace, name, range } of ranges) {
      const lowest = semver.parse(lowestSupported[name]) as semver.SemVer;
      const { major, minor, patch } = lowest;
      for (const version of [
        lowest.version,
        `${major}.${minor}.${patch + 1}`,
        `${major}.${minor}.${patch}-alpha.1`,
        `${major}.${minor}.${patch + 1}-alpha.1`,
        `${major}.${minor + 6}.0-alpha-2026-01-01`,
        `${major}.${minor + 1}.0-beta.1`,
        `${major + 1}.0.0-alpha.6`,
      ]) {
        expect(npmAccepts(version, range), `${workspace}: ${name}@${version} against "${range}"`).toBe(true);
      }
    }
  });
});

/**
 * Each reporter's packed package (and the core's: it is their dependency, and not on the registry at this
 * version) installed into a scratch project outside the workspace, pinned to a real prerelease of its runner.
 * Resolution only (`--package-lock-only`): npm reads the registry's metadata, downloads no tarball, runs
 * nothing, and writes the lock it would install.
 */
const projects = [
  { workspace: 'packages/jest', pinned: { jest: '30.0.0-alpha.6', 'jest-environment-node': '30.0.0-alpha.6' } },
  { workspace: 'packages/mocha', pinned: { mocha: '12.0.0-rc.6' } },
  { workspace: 'packages/vitest', pinned: { vitest: '4.1.0-beta.1' } },
  { workspace: 'packages/playwright', pinned: { '@playwright/test': '1.65.0-alpha-2026-10-30' } },
] as const;

let scratch: string;
let tarballs: Record<string, string>;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-peers-'));
  const destination = path.join(scratch, 'tarballs');
  await mkdir(destination);
  const workspaces = ['packages/core', ...projects.map((project) => project.workspace)];
  const packed = await packWorkspaces(workspaces, destination);
  tarballs = Object.fromEntries(workspaces.map((workspace, index) => [workspace, packed[index] as string]));
}, 300_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.each(projects)('$workspace, installed into a project on a prerelease of its runner', ({ workspace, pinned }) => {
  test('npm resolves it without changing the runner', async () => {
    const project = path.join(scratch, path.basename(workspace));
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'peer-check', private: true, dependencies: pinned }));
    const install = await runNpm(
      [
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        tarballs['packages/core'] as string,
        tarballs[workspace] as string,
      ],
      project,
      300_000,
    );
    expect(install.code, install.stderr).toBe(0);
    const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    for (const [name, version] of Object.entries(pinned)) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
    expect(lock.packages[`node_modules/@promise-failure/${path.basename(workspace)}`]).toBeDefined();
  }, 300_000);
});
