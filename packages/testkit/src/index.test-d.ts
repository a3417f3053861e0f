import { describe, expectTypeOf, it } from 'vitest';
import { type FakeBuildkite, type FakeBuildkiteOptions, type Fault, type RecordedRequest, startFakeBuildkite } from './index.js';

describe('public types', () => {
  it('startFakeBuildkite takes optional options and resolves a FakeBuildkite', () => {
    expectTypeOf(startFakeBuildkite).parameter(0).toEqualTypeOf<FakeBuildkiteOptions | undefined>();
    expectTypeOf(startFakeBuildkite).returns.resolves.toEqualTypeOf<FakeBuildkite>();
    expectTypeOf<FakeBuildkiteOptions['jobApi']>().toEqualTypeOf<'current' | 'without-route' | 'none' | 'dead-socket' | undefined>();
  });

  it('accepts every fault kind, and refuses a fault without a kind', () => {
    expectTypeOf({ status: 503, retryAfter: 2, times: 3 }).toExtend<Fault>();
    expectTypeOf({ status: 502, body: 'html' as const }).toExtend<Fault>();
    expectTypeOf({ status: 500, body: 'raw text' }).toExtend<Fault>();
    expectTypeOf({ reset: true as const }).toExtend<Fault>();
    expectTypeOf({ delay: 100 }).toExtend<Fault>();
    expectTypeOf({ hang: true as const }).toExtend<Fault>();
    expectTypeOf({ times: 1 }).not.toExtend<Fault>();
  });

  it('exposes read-only recordings and env', () => {
    expectTypeOf<FakeBuildkite['requests']>().toEqualTypeOf<readonly RecordedRequest[]>();
    expectTypeOf<FakeBuildkite['env']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<FakeBuildkite['waitForAgentRequests']>().returns.resolves.toEqualTypeOf<RecordedRequest[]>();
    expectTypeOf<RecordedRequest['api']>().toEqualTypeOf<'agent' | 'job' | 'test-engine'>();
  });
});
