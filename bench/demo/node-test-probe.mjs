// The demo's probe for node --test (one more --test-reporter, so examples/node-test stays as a user writes it):
// one line in $PROMISE_FAILURE_DEMO_PROBE for each failing test, the moment the runner's process hears that it
// ended (its `test:complete`, as the reporter does). It prints nothing.
import { appendFileSync } from 'node:fs';

// biome-ignore lint/correctness/useYield: it writes to its file and prints nothing; Node needs a generator (or a stream).
export default async function* probe(source) {
  for await (const { type, data } of source) {
    const failed = type === 'test:complete' && data.details?.passed === false && !data.todo && !data.skip && data.details?.type !== 'suite';
    if (failed && data.nesting > 0 && process.env.PROMISE_FAILURE_DEMO_PROBE) {
      appendFileSync(process.env.PROMISE_FAILURE_DEMO_PROBE, `${Date.now()}\n`);
    }
  }
}
