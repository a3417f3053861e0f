// `npm run test:matrix`: runs `npm test` once per supported Node.js major. Node 20 is the machine's own;
// 22 and 24 come as npm packages (tools/nodes, installed here on first use), put first on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const nodes = new URL('./nodes/', import.meta.url).pathname;
if (!existsSync(`${nodes}node_modules/node22/bin/node`)) {
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: nodes, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
// The machine's own Node (20), then 22 and 24 from tools/nodes.
const binDirectories = ['', `${nodes}node_modules/node22/bin`, `${nodes}node_modules/node24/bin`];
const summary = [];
for (const bin of binDirectories) {
  const env = { ...process.env, PATH: bin ? `${bin}:${process.env.PATH}` : process.env.PATH };
  const version = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  process.stdout.write(`\n=== Node ${version}: npm test ===\n`);
  const started = Date.now();
  const run = spawnSync('npm', ['test'], { cwd: root, env, stdio: 'inherit' });
  summary.push(
    `Node ${version}: ${run.status === 0 ? 'passed' : `FAILED (exit ${run.status})`} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}
process.stdout.write(`\n${summary.join('\n')}\n`);
process.exit(summary.every((line) => line.includes('passed')) ? 0 : 1);
