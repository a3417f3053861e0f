// One fresh process that makes one first request to the fake Agent API, then prints the CPU time of the
// whole process (every thread, Node's start-up included) and what it got back. Modes:
//   declare   `promiseFailure()` once, nothing recorded: the cold declaration
//   bare      one `node:http` PUT to the same route, the floor any declaration stands on
import { request } from 'node:http';

const mode = process.argv[2];
let answer;
if (mode === 'declare') {
  const { promiseFailure } = await import('@promise-failure/core');
  const result = await promiseFailure({ reason: 'bench' });
  answer = { outcome: result.outcome, accepted: result.accepted };
} else if (mode === 'bare') {
  const { BUILDKITE_AGENT_ENDPOINT: endpoint, BUILDKITE_JOB_ID: jobId, BUILDKITE_AGENT_ACCESS_TOKEN: token } = process.env;
  const body = JSON.stringify({ exit_status: 1, reason: 'bench' });
  const status = await new Promise((resolve, reject) => {
    const sent = request(`${endpoint}/jobs/${jobId}/promise_failure`, {
      method: 'PUT',
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    sent.on('error', reject);
    sent.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    sent.end(body);
  });
  answer = { outcome: 'declared', accepted: status >= 200 && status < 300 };
} else {
  throw new Error(`first-request-child: unknown mode ${JSON.stringify(mode)}`);
}
const { user, system } = process.cpuUsage();
process.stdout.write(JSON.stringify({ ...answer, cpuMs: (user + system) / 1_000 }));
process.exit(0);
