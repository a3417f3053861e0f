/**
 * Plain words for what Buildkite's answers mean for a promised failure (docs/protocol.md, the Agent API's "Answers").
 * The status text alone ("Conflict") would leave a user guessing.
 */
export function describeStatus(status: number): string {
  switch (status) {
    case 401:
      return 'the access token was refused';
    case 403:
      return 'the token was refused for this job';
    case 404:
      return 'promise-failure is not enabled for this organization';
    case 409:
      return 'a different exit status was already promised for this job';
    case 422:
      return 'the job is no longer running, or the exit status is invalid';
    case 429:
      return 'rate limited';
    default:
      return status >= 500 ? 'Buildkite had a server error' : 'unexpected answer';
  }
}

/** 4xx other than 429 will not change on retry. */
export function isTerminalStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429;
}
