import type { Env } from './environment.js';

/** The agent's default `BUILDKITE_REDACTED_VARS`. */
export const defaultRedactedVars = [
  '*_PASSWORD',
  '*_SECRET',
  '*_TOKEN',
  '*_PRIVATE_KEY',
  '*_SSH_KEY',
  '*_ACCESS_KEY',
  '*_SECRET_KEY',
  '*_CONNECTION_STRING',
  '*_API_KEY',
];

/** Like the agent, values shorter than this are left alone (so `none` or `true` is not hidden everywhere). */
const minimumRedactedLength = 6;
const replacement = '[REDACTED]';

/** Replaces secrets in text: returns a function, built once per declaration, that does it. */
export type Redactor = (text: string) => string;

/**
 * Builds the redactor the agent would use for this environment: the values of every variable whose
 * name matches `BUILDKITE_REDACTED_VARS` (case-sensitive globs; the agent's defaults when unset), in
 * their raw and JSON-escaped forms. The access token and the Job API token are always among them,
 * whatever the patterns say: they must never leave this process.
 */
export function createRedactor(env: Env): Redactor {
  const patterns = parsePatterns(env.BUILDKITE_REDACTED_VARS);
  const secrets = new Set<string>();
  for (const name of Object.keys(env)) {
    const value = env[name];
    if (value !== undefined && value.length >= minimumRedactedLength && patterns.some((pattern) => pattern.test(name))) {
      secrets.add(value);
    }
  }
  for (const name of ['BUILDKITE_AGENT_ACCESS_TOKEN', 'BUILDKITE_AGENT_JOB_API_TOKEN']) {
    const value = env[name];
    if (value) secrets.add(value);
  }
  const needles = new Set<string>();
  for (const secret of secrets) {
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  if (needles.size === 0) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  const matcher = new RegExp(ordered.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(matcher, replacement);
}

function parsePatterns(value: string | undefined): RegExp[] {
  const names = value === undefined ? defaultRedactedVars : value.split(',');
  return names
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map(globToRegExp);
}

/** `*` any run of characters, `?` one, `[…]` a class; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', index + 2);
      if (end === -1) source += '\\[';
      else {
        let body = glob.slice(index + 1, end).replaceAll('\\', '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body}]`;
        index = end;
      }
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Our bound on a reason, in code points, applied after redaction. The agent does not cut a reason (any
 * limit is Buildkite's, server side); this cut is the core's own contract (`reason` in the README), so
 * that a runner's whole failure output never becomes the reason.
 */
export const maximumReasonLength = 1_000;

/** Redacts, then cuts to 1,000 code points (never splitting a surrogate pair). */
export function prepareReason(reason: string | undefined, redact: Redactor): string | undefined {
  if (reason === undefined) return undefined;
  const redacted = redact(reason);
  if (redacted.length <= maximumReasonLength) return redacted;
  const codePoints = Array.from(redacted);
  return codePoints.length <= maximumReasonLength ? redacted : codePoints.slice(0, maximumReasonLength).join('');
}
