import packageJson from '../package.json' with { type: 'json' };

/** This package's version, for the `User-Agent` header and the CLI. */
export const version: string = packageJson.version;
