// `npm run check:packages`: every published package under packages/ through publint (strict: suggestions fail too) and
// @arethetypeswrong/cli (`--pack`, profile node16: node16 from CommonJS and from ESM, and bundler). Both pack
// the package locally with `npm pack`: no network. Prints one line per package, and a tool's output only
// when it finds something. Also: every tarball carries the repository's LICENSE (the same text). Exits 1 if any package has a problem. Run `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
/** @param {string} name */
const bin = (name) => join(root, 'node_modules/.bin', name);

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {Promise<{ code: number | null; output: string }>}
 */
function run(command, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: -1, output: String(error) }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((directory) => existsSync(join(directory, 'package.json')))
  .map((directory) => ({ directory, manifest: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) }));
// Private workspaces (shared code bundled into the others) are never published: not checked, and no published
// package may depend on one at run time.
const unpublished = new Set(packages.filter(({ manifest }) => manifest.private).map(({ manifest }) => manifest.name));

let failures = 0;
for (const { directory, manifest } of packages.filter(({ manifest }) => !manifest.private)) {
  const { name } = manifest;
  const runtime = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
  const onUnpublished = runtime.filter((dependency) => unpublished.has(dependency));
  if (onUnpublished.length > 0) {
    process.stdout.write(
      `✗ ${name}: depends on ${onUnpublished.join(', ')}, which is private (never published): bundle it and list it in devDependencies\n`,
    );
    failures++;
    continue;
  }
  if (!existsSync(join(directory, 'dist'))) {
    process.stdout.write(`✗ ${name}: no dist/ (run \`npm run build\` first)\n`);
    failures++;
    continue;
  }
  // An entry point exported for `import` only (ESM by design, e.g. a setup file for an ESM-only runner) is
  // checked with attw's esm-only profile; every other one with node16 (CommonJS and ESM) and bundler.
  const esmOnly = esmOnlyEntrypoints(manifest);
  const attwArgs = ['--pack', '.', '--format', 'table-flipped'];
  const [publint, attw, pack] = await Promise.all([
    run(bin('publint'), ['--strict', '.'], directory),
    run(bin('attw'), [...attwArgs, '--profile', 'node16', ...(esmOnly.length > 0 ? ['--exclude-entrypoints', ...esmOnly] : [])], directory),
    run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], directory),
  ]);
  // After the first attw: both would pack into the same tarball.
  const attwEsm =
    esmOnly.length > 0
      ? await run(bin('attw'), [...attwArgs, '--profile', 'esm-only', '--entrypoints', ...esmOnly], directory)
      : { code: 0, output: '' };
  const problems = [
    ...licenseProblems(directory, pack),
    ...(publint.code === 0 ? [] : [`publint:\n${publint.output.trim()}`]),
    ...(attw.code === 0 ? [] : [`attw (node16, bundler):\n${attw.output.trim()}`]),
    ...(attwEsm.code === 0 ? [] : [`attw (esm-only: ${esmOnly.join(', ')}):\n${attwEsm.output.trim()}`]),
  ];
  failures += problems.length > 0 ? 1 : 0;
  process.stdout.write(
    problems.length === 0
      ? `✓ ${name}: publint, attw (node16, bundler${esmOnly.length > 0 ? `; esm-only: ${esmOnly.join(', ')}` : ''})\n`
      : `✗ ${name}\n${problems.join('\n')}\n`,
  );
}
process.exitCode = failures > 0 ? 1 : 0;

/**
 * The tarball must carry LICENSE, the same text as the repository's (npm takes it only from the package's
 * own directory, so each package keeps a copy and lists it in `files`).
 *
 * @param {string} directory
 * @param {{ code: number | null; output: string }} pack `npm pack --dry-run --json`
 * @returns {string[]}
 */
function licenseProblems(directory, pack) {
  if (pack.code !== 0) return [`npm pack --dry-run:\n${pack.output.trim()}`];
  /** @type {{ files: { path: string }[] }[]} */
  const [tarball] = JSON.parse(pack.output.slice(pack.output.indexOf('[')));
  if (!tarball?.files.some((file) => file.path === 'LICENSE')) return ['LICENSE: not in the tarball (add it to `files`)'];
  if (readFileSync(join(directory, 'LICENSE'), 'utf8') !== license) return ["LICENSE: not the same text as the repository's"];
  return [];
}

/**
 * The subpaths of `exports` that have an `import` condition and no `require` nor `default`: ESM only.
 * @param {{ exports?: Record<string, unknown> }} manifest
 */
function esmOnlyEntrypoints(manifest) {
  return Object.entries(manifest.exports ?? {})
    .filter(
      ([, target]) =>
        typeof target === 'object' && target !== null && 'import' in target && !('require' in target) && !('default' in target),
    )
    .map(([subpath]) => subpath);
}
