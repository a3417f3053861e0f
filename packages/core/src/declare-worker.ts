import { parentPort, workerData } from 'node:worker_threads';
import { type Caller, declarePromiseFailure } from './declare.js';
import { WorkerCell, type WorkerMessage, type WorkerPlan, WorkerStart } from './declare-in-worker.js';
import { createRedactor } from './redact.js';

/*
 * The declaration's worker thread (declare-in-worker.ts starts it and says why): the claim, the
 * transports and the request, exactly as `declarePromiseFailure` runs them in a caller's thread. What
 * cannot cross a thread is rebuilt here or sent back: the redactor is built from the same variables, the
 * debug lines and "the request is on its way" go to the caller's thread as messages, and so does the
 * outcome. Loaded any other way than as that worker, it does nothing; nor does it when the caller's thread
 * has taken the declaration back (the `start` cell: declare-in-worker.ts says why it is not a message).
 */
const port = parentPort;
const plan = workerData as WorkerPlan | undefined;
if (port !== null && plan?.cells !== undefined && begin(plan.cells)) {
  const { cells } = plan;
  const post = (message: WorkerMessage) => port.postMessage(message);
  // The port, while it listens, is what keeps this thread alive: the declaration's own timers and
  // sockets are unref'd (they never hold a process open), so without it the thread would end mid-request.
  port.on('message', () => {});
  post({ kind: 'started' });
  let requested = false;
  const caller: Caller = {
    get requested() {
      return requested;
    },
    set requested(value) {
      if (value && !requested) post({ kind: 'requested' });
      requested = value;
    },
  };
  const { cells: _cells, debug: _debug, ...declaration } = plan;
  // After the outcome's message: an exiting caller's thread, blocked on this cell, then lets the process end.
  const answered = () => {
    Atomics.store(cells, WorkerCell.answered, 1);
    Atomics.notify(cells, WorkerCell.answered);
  };
  declarePromiseFailure({
    ...declaration,
    caller,
    redact: createRedactor(plan.env),
    log: plan.debug ? (message) => post({ kind: 'log', message }) : () => {},
  })
    .then(
      (outcome) => post({ kind: 'outcome', outcome }),
      (error: unknown) => post({ kind: 'failed', error: String((error as Error)?.message ?? error) }),
    )
    .finally(() => {
      answered();
      port.close();
    });
}

/** True when this worker declares: the caller's thread had not taken the declaration back. */
function begin(cells: Int32Array): boolean {
  return Atomics.compareExchange(cells, WorkerCell.start, WorkerStart.unstarted, WorkerStart.begun) === WorkerStart.unstarted;
}
