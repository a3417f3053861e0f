import { describe, expect, it } from 'vitest';
import type { DeclarationResult } from './agent-api-client.js';
import { PromiseFailureCoordinator } from './coordinator.js';

/** A declarer whose answers the test hands out, one per call. */
function controlledDeclarer() {
  const calls: Array<{ exitStatus: number; reason: string; answer: (result: DeclarationResult) => void }> = [];
  const declare = (exitStatus: number, reason: string) =>
    new Promise<DeclarationResult>((resolve) => calls.push({ exitStatus, reason, answer: resolve }));
  return { calls, declare };
}

const accepted: DeclarationResult = { accepted: true, upstreamStatus: 204, terminal: false };
const conflict: DeclarationResult = { accepted: false, upstreamStatus: 409, terminal: true, error: '409' };
const unavailable: DeclarationResult = { accepted: false, upstreamStatus: 503, terminal: false, error: '503' };

describe('PromiseFailureCoordinator', () => {
  it('shares one in-flight declaration between concurrent callers', async () => {
    const { calls, declare } = controlledDeclarer();
    const coordinator = new PromiseFailureCoordinator(declare);
    const first = coordinator.declarePromiseFailure(1, 'first');
    const second = coordinator.declarePromiseFailure(1, 'second');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.reason).toBe('first');
    calls[0]?.answer(accepted);
    expect(await first).toEqual({ outcome: 'declared', accepted: true, upstream_status: 204 });
    expect(await second).toEqual({ outcome: 'debounced', accepted: true, upstream_status: 204 });
  });

  it('keys on the exit status', async () => {
    const { calls, declare } = controlledDeclarer();
    const coordinator = new PromiseFailureCoordinator(declare);
    void coordinator.declarePromiseFailure(1, '');
    void coordinator.declarePromiseFailure(2, '');
    expect(calls.map((call) => call.exitStatus)).toEqual([1, 2]);
  });

  it.each([
    ['caches a terminal failure', conflict, 1],
    ['caches a success', accepted, 1],
    ['evicts a transient failure', unavailable, 2],
  ])('%s', async (_name, result, expectedCalls) => {
    const { calls, declare } = controlledDeclarer();
    const coordinator = new PromiseFailureCoordinator(declare);
    const first = coordinator.declarePromiseFailure(1, '');
    calls[0]?.answer(result);
    await first;
    const later = coordinator.declarePromiseFailure(1, '');
    expect(calls).toHaveLength(expectedCalls);
    calls[1]?.answer(accepted);
    expect((await later).outcome).toBe(expectedCalls === 1 ? 'debounced' : 'declared');
  });

  it('turns a declarer that throws into a transient failure', async () => {
    const coordinator = new PromiseFailureCoordinator(() => Promise.reject(new Error('boom')));
    expect(await coordinator.declarePromiseFailure(1, '')).toEqual({
      outcome: 'declared',
      accepted: false,
      error: 'declaring promised failure failed: boom',
    });
  });
});
