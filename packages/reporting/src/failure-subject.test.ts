import { describe, expect, test } from 'vitest';
import { type FailureSubject, judgeUnderTestEngine, type TestEngineVerdict } from './failure-subject.js';

const muted = new Set(['checkout/is flaky', '/times out']);
const none = new Set<string>();

describe('judgeUnderTestEngine', () => {
  test.each<[string, FailureSubject, ReadonlySet<string>, boolean, TestEngineVerdict]>([
    ['a muted test', { kind: 'test', testEngine: { scope: 'checkout', name: 'is flaky' } }, muted, true, 'muted'],
    ['a muted top-level test (empty scope)', { kind: 'test', testEngine: { scope: '', name: 'times out' } }, muted, true, 'muted'],
    ['an unmuted test', { kind: 'test', testEngine: { scope: 'checkout', name: 'charges' } }, muted, true, 'promise'],
    ['a muted name in another scope', { kind: 'test', testEngine: { scope: 'cart', name: 'is flaky' } }, muted, true, 'promise'],
    [
      'a test of a runner bktec does not run here',
      { kind: 'test', testEngine: { scope: 'checkout', name: 'is flaky' } },
      muted,
      false,
      'unmatched',
    ],
    ['a test with no bktec name', { kind: 'test' }, muted, true, 'unmatched'],
    ['a file that did not load', { kind: 'file' }, muted, true, 'promise'],
    ['a hook or an unhandled error', { kind: 'other' }, muted, true, 'not-a-test'],
    ['anything, when the plan mutes nothing', { kind: 'other' }, none, false, 'promise'],
    ['an unnamed test, when the plan mutes nothing', { kind: 'test' }, none, false, 'promise'],
  ])('%s → %s', (_name, subject, mutedTests, runnerMatches, verdict) => {
    expect(judgeUnderTestEngine(subject, mutedTests, runnerMatches)).toBe(verdict);
  });
});
