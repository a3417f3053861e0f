#!/usr/bin/env node
// The `promise-failure` command: runs the built CLI (dist/cli.js).
//
// Why a committed file rather than `bin` pointing at dist/cli.js: npm links a package's bin when it
// installs, and only if the file exists then. In this repository dist/ is built after `npm install`, so a
// bin in dist/ would never be linked and `npx promise-failure` would not find the workspace's own command.
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
// The built CLI runs when it is the entry point, which it recognises by process.argv[1]: say it is.
process.argv[1] = cli;
try {
  await import(cli);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(cli)) throw error;
  process.stderr.write('promise-failure: @promise-failure/core is not built yet: run `npm run build` first.\n');
  process.exitCode = 1;
}
