import { Worker } from 'node:worker_threads';
import type { PromiseFailureResult } from '@promise-failure/core';
import { declarationThreadKey } from './core-rules.js';
import type { DeclarationCall } from './declaration.js';

/*
 * Why a worker thread. A declaration's own work is small, but it starts cold: loading the core and
 * undici's modules, compiling undici's HTTP parser (WebAssembly), the claim's file-system calls, and
 * the connection. On the runner's thread that is 100–200 ms of CPU taken from the run at its first
 * failing test (`bench/RESULTS.md` has the profile). In a worker thread it runs beside the runner, and
 * the runner's thread only starts the thread and reads one message back.
 *
 * The worker is unref'd: it never keeps the runner alive. What keeps it alive is the
 * reporter's own wait at the end of the run (`flushTimeout`), exactly as with a declaration in the
 * runner's thread; and an abandoned declaration is abandoned in the worker too (the core drops its
 * timers and sockets), so nothing outlives the wait.
 *
 * The worker's code is evaluated from a string (the reporters bundle this file, so there is no file of
 * its own to point a worker at); it loads the core with `require`, resolved from this module's own
 * location, so that it finds the core the reporter depends on, wherever the runner's working directory is.
 *
 * The core runs a direct caller's declaration in a worker thread of its own (packages/core/src/
 * declare-in-worker.ts). Not here: this thread is marked in its `workerData` (the core's
 * `declarationThreadKey`), so the core declares in it and starts no thread inside this one. Why this
 * thread rather than the core's: the core's needs its front part (validation, the memo, the record reader)
 * loaded on the runner's thread to start it, about 13 ms more CPU there at the first failure than this
 * one (which loads nothing of the core on the runner's thread); test/loading checks that no thread of a
 * failing run loads the core's worker.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const controller = new AbortController();
parentPort.on('message', (message) => {
  if (message === 'abandon') controller.abort();
});
(async () => {
  const { promiseFailure } = createRequire(workerData.base)('@promise-failure/core');
  const result = await promiseFailure({ ...workerData.call, signal: controller.signal });
  parentPort.postMessage({ result });
})().catch((error) => {
  parentPort.postMessage({ error: String((error && error.message) || error) });
}).finally(() => parentPort.close());
`;

/**
 * This module's own location: the bundled reporter's file. Each reporter builds with tsup's `shims`, which
 * gives its CommonJS build an `import.meta.url` too.
 */
function ownLocation(): string {
  return import.meta.url;
}

/** What the worker answers: the core's result, or why it could not run. */
type WorkerMessage = { result: PromiseFailureResult } | { error: string };

/**
 * Runs `promiseFailure(call)` in an unref'd worker thread and resolves with its result. Rejects when the
 * core cannot run there (it failed to load, or the thread died), with an error that says so. Aborting
 * `call.signal` abandons the declaration in the worker: it resolves soon after, as the core does.
 * `undefined` when no worker thread can be started here: the caller then declares in its own thread.
 */
export function declareInWorker(call: DeclarationCall): Promise<PromiseFailureResult> | undefined {
  const { signal, ...options } = call;
  let worker: Worker;
  try {
    worker = new Worker(workerSource, {
      eval: true,
      workerData: { [declarationThreadKey]: true, base: ownLocation(), call: options },
    });
  } catch {
    return undefined;
  }
  return new Promise<PromiseFailureResult>((resolve, reject) => {
    const onAbort = () => worker.postMessage('abandon');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const settle = () => signal.removeEventListener('abort', onAbort);
    worker.once('message', (message: WorkerMessage) => {
      settle();
      if ('result' in message) resolve(message.result);
      else reject(new Error(message.error));
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code) => {
      settle();
      // After a message this does nothing: a promise settles once.
      reject(new Error(`the declaration's worker thread exited (code ${code}) before it answered`));
    });
    // After the listeners: adding a 'message' listener refs a worker's port again, and the thread would then
    // keep the runner alive until its declaration ended.
    worker.unref();
  });
}
