import { describe, expect, it } from 'vitest';
import { promiseFailure } from '../src/index.js';
import { fakeBuildkite, jobEnv } from './support.js';

describe('invalid options reject, naming the option and the value, and send nothing', () => {
  it.each([
    [{ exitStatus: 0 }, RangeError, /`exitStatus`.*got 0\./],
    [{ exitStatus: 256 }, RangeError, /`exitStatus`.*got 256\./],
    [{ exitStatus: 1.5 }, RangeError, /`exitStatus`.*got 1\.5\./],
    [{ exitStatus: Number.NaN }, RangeError, /`exitStatus`.*got NaN\./],
    [{ exitStatus: '1' }, TypeError, /`exitStatus`.*got "1"\./],
    [{ reason: 42 }, TypeError, /`reason` to be a string, got 42\./],
    [{ env: 'PATH=/bin' }, TypeError, /`env` to be a record of strings, got "PATH=\/bin"\./],
    [{ env: null }, TypeError, /`env`.*got null\./],
    [{ env: { BUILDKITE_JOB_ID: 7 } }, TypeError, /`env\.BUILDKITE_JOB_ID` to be a string, got 7\./],
    [{ timeout: 0 }, RangeError, /`timeout`.*got 0\./],
    [{ timeout: -5 }, RangeError, /`timeout`.*got -5\./],
    [{ timeout: Number.POSITIVE_INFINITY }, RangeError, /`timeout`.*got Infinity\./],
    [{ timeout: '100' }, TypeError, /`timeout`.*got "100"\./],
    // Above 2^31−1 ms Node's timer would fire after 1 ms and the call would give up at once (issue 10, item 1).
    [{ timeout: 2 ** 31 }, RangeError, /`timeout` to be a positive integer up to 2147483647 \(ms\), got 2147483648\./],
    [{ signal: {} }, TypeError, /`signal` to be an AbortSignal/],
    // A look-alike without removeEventListener used to crash the caller when the call settled (item 2).
    [{ signal: { aborted: false, addEventListener() {} } }, TypeError, /`signal` to be an AbortSignal/],
    [{ exitstatus: 2 }, TypeError, /Unknown option `exitstatus`/],
    [{ Timeout: 5 }, TypeError, /Unknown option `Timeout`/],
  ])('%o', async (options, kind, message) => {
    const fake = await fakeBuildkite();
    const call = promiseFailure({ env: jobEnv(fake), ...(options as object) });
    await expect(call).rejects.toBeInstanceOf(kind);
    await expect(call).rejects.toThrow(message);
    await expect(call).rejects.toMatchObject({ code: 'PROMISE_FAILURE_INVALID_OPTION' });
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects options that are not an object', async () => {
    await expect(promiseFailure(3 as never)).rejects.toThrow(TypeError);
  });

  it('rejects rather than throwing synchronously', () => {
    expect(() => promiseFailure({ exitStatus: -1 }).catch(() => {})).not.toThrow();
  });
});
