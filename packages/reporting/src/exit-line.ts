import { createRequire } from 'node:module';
import type { PromiseFailureResult } from '@promise-failure/core';
import { refusedCode } from './core-rules.js';
import { describeDeclaration, type SettledDeclaration } from './declaration.js';
import { reportInternalError } from './guard.js';
import { printLineAtExit } from './stderr.js';

type Environment = Readonly<Record<string, string | undefined>>;

/*
 * A test that calls `process.exit()` (or a runner that exits without awaiting its last hook) ends the process
 * wherever its runs are: nothing can wait in an `exit` listener. The line printed then must still be true, and
 * there must be one per process, however many runs in it owe one.
 *
 * The runs of one process share what it knows, because the answer may have come to another run than the one
 * that owes the line: Jest in band has its environment's run (which declares from this thread, gets the 204,
 * and drops its line at the file's end) and its reporter's run (which declares later, from a thread that is
 * still starting when the next file calls `process.exit()`). So, at exit, in this order:
 *   1. a final answer any run of this process had: accepted, refused, or skipped;
 *   2. the answer, whatever it is, that an owing run had and has not printed yet;
 *   3. an answer recorded in the lock directory, by another thread or process: read synchronously from the
 *      core (`readRecordedResult`), loaded only then;
 *   4. only then, in a job that promises, "may not have been promised".
 *
 * Every copy of the kit in the process shares one state: each reporter package bundles its own copy, and a
 * process may load two packages, or one package's ESM and CommonJS builds. So the state is kept on
 * `globalThis` under a registered symbol, and the first copy to need it installs the one `exit` listener.
 */

/** A run's debt of one line, from its first final failure until its `finish()` has worded the line. */
export interface OwedLine {
  /** The declaration ended: what it said is what this run would print (`line`: `undefined` prints nothing). */
  answer(settled: SettledDeclaration): void;
  /** The run's own line is worded (printed or deliberately dropped): it owes nothing at exit any more. */
  paid(): void;
}

/** What a run tells at its first final failure, for the exit line it may owe. */
export interface OwedLineRequest {
  /** The exit status asked for, if any. */
  readonly exitStatus: number | undefined;
  readonly flushTimeout: number;
  /** Where the core reads the job's variables (the record is looked up there). */
  readonly env: Environment;
  /** Whether the core would try to promise here (a Buildkite job, not turned off). */
  readonly promising: boolean;
}

interface Debt extends OwedLineRequest {
  /** This run's own answer, once its declaration ended. */
  own?: { line: string | undefined };
}

/** The process's exit line, shared by every copy of the kit. Its shape is a contract between copies. */
export interface ExitLineState {
  readonly debts: Set<Debt>;
  /** The first final answer of any run in this process (1. above). */
  answered: { line: string | undefined } | undefined;
  /** The exit line is taken: never a second. */
  printed: boolean;
}

const stateKey = Symbol.for('@promise-failure/reporting.exit-line.v1');

/** An exit line owed by nobody yet. The process's own is {@link sharedState}'s; a test makes its own. */
export function createExitLineState(): ExitLineState {
  return { debts: new Set(), answered: undefined, printed: false };
}

/** The process's state, made by the first copy of the kit that needs it, with the one `exit` listener. */
function sharedState(): ExitLineState {
  const holder = globalThis as typeof globalThis & { [stateKey]?: ExitLineState };
  let state = holder[stateKey];
  if (state === undefined) {
    const created = createExitLineState();
    process.on('exit', () => {
      const line = takeExitLine(created);
      if (line !== undefined) printLineAtExit(line);
    });
    state = holder[stateKey] = created;
  }
  return state;
}

/**
 * Registers a run's debt of one line, started with its declaration: if the process exits before the run's
 * `finish()` has worded its line, the process's one exit line is printed (see above). Never throws.
 */
export function oweLineAtExit(request: OwedLineRequest, state: ExitLineState = sharedState()): OwedLine {
  const debt: Debt = { ...request };
  state.debts.add(debt);
  return {
    answer(settled) {
      try {
        const line = describeDeclaration(settled, request);
        debt.own = { line };
        if (state.answered === undefined && 'result' in settled && isFinal(settled.result)) state.answered = { line };
      } catch (error) {
        reportInternalError('exit line', error);
      }
    },
    paid() {
      state.debts.delete(debt);
    },
  };
}

/** An answer that every later call in this job gets too: accepted, refused (recorded), or skipped. */
function isFinal(result: PromiseFailureResult): boolean {
  return result.accepted || result.outcome === 'skipped' || result.code === refusedCode;
}

/**
 * The process's exit line, once: `undefined` when no run owes one, when it was already taken, or when what is
 * known says nothing is to be printed (outside a job). Never throws.
 */
export function takeExitLine(state: ExitLineState): string | undefined {
  if (state.printed || state.debts.size === 0) return undefined;
  state.printed = true;
  try {
    return lineAtExit(state, [...state.debts]);
  } catch {
    return undefined;
  }
}

function lineAtExit(state: ExitLineState, debts: readonly Debt[]): string | undefined {
  if (state.answered !== undefined) return state.answered.line;
  const answeredDebt = debts.find((debt) => debt.own !== undefined);
  if (answeredDebt?.own !== undefined) return answeredDebt.own.line;
  const [first] = debts as [Debt];
  const recorded = readRecordedResult(first);
  if (recorded !== undefined) return describeDeclaration({ result: recorded }, first);
  return first.promising ? describeExitBeforeAnswer(first.exitStatus) : undefined;
}

/**
 * The answer another thread or process recorded, read synchronously through the core (its `require`d
 * CommonJS build, resolved from this module's location as the declaration's). `undefined` when there is
 * none or it cannot be read: an exit listener must never throw.
 */
function readRecordedResult({ exitStatus, env }: Debt): PromiseFailureResult | undefined {
  try {
    const core = createRequire(import.meta.url)('@promise-failure/core') as Partial<typeof import('@promise-failure/core')>;
    return core.readRecordedResult?.({ env, ...(exitStatus === undefined ? {} : { exitStatus }) });
  } catch {
    return undefined;
  }
}

/** The line for a process that exits while its declaration is under way and no answer is known. */
export function describeExitBeforeAnswer(exitStatus: number | undefined): string {
  const asked = exitStatus === undefined ? 'the failure' : `exit status ${exitStatus}`;
  return `promise-failure: the process exited before Buildkite answered: ${asked} may not have been promised`;
}
