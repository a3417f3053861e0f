import { type Env, invalidHeaderValue } from '../environment.js';

/** A header name is an HTTP token. */
const headerName = /^[!#$%&'*+.^`|~0-9A-Za-z-]+$/;
const prefix = 'BUILDKITE_REQUEST_HEADER_';

/**
 * The `Buildkite-*` headers the server asked agents to send, rebuilt from the job's
 * `BUILDKITE_REQUEST_HEADER_*` variables exactly as the agent rebuilds them (`requestHeadersFromEnv`
 * in its `api/client.go`; docs/protocol.md, "Server-specified request headers"): the part after the
 * prefix, `_` turned into `-`, in canonical case, so `BUILDKITE_REQUEST_HEADER_BUILDKITE_HELLO=world`
 * is `Buildkite-Hello: world`. A name that does not then start with `Buildkite-` is not sent, as the
 * agent does not send it. A name or value no header can carry (`日本`, a control character) would make
 * undici throw on every attempt, and the declaration would never be sent: it is dropped too. Each
 * drop is a debug line.
 */
export function readRequestHeaders(env: Env, log: (message: string) => void = () => {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(env)) {
    if (!name.startsWith(prefix)) continue;
    const value = env[name];
    if (value === undefined) continue;
    const header = canonicalHeaderName(name.slice(prefix.length).replaceAll('_', '-'));
    if (!header.startsWith('Buildkite-')) {
      log(`not sending ${name}: only Buildkite-* headers are sent, as the agent does`);
      continue;
    }
    if (!headerName.test(header) || invalidHeaderValue.test(value)) {
      log(`not sending ${name}: its name or value cannot be an HTTP header`);
      continue;
    }
    // Two variables can name one header (`…_BUILDKITE_FOO`, `…_Buildkite_Foo`): the agent sends both
    // values, which HTTP reads as one comma-separated field.
    const earlier = headers[header];
    headers[header] = earlier === undefined ? value : `${earlier}, ${value}`;
  }
  return headers;
}

/**
 * Go's `http.CanonicalHeaderKey`, which the agent applies: the first letter and every letter after a
 * `-` in upper case, the others in lower case. A name that is not an HTTP token is left as it is.
 */
export function canonicalHeaderName(name: string): string {
  if (!headerName.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}
