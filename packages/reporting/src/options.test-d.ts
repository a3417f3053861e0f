import { expectTypeOf, test } from 'vitest';
import type { ReporterOptions } from './options.js';

test('every option is optional, typed and read-only', () => {
  expectTypeOf<ReporterOptions>().toEqualTypeOf<{
    readonly exitStatus?: number;
    readonly flushTimeout?: number;
    readonly enabled?: boolean;
    readonly timeout?: number;
    readonly ignoreOuterRetries?: boolean;
  }>();
});

test('a typed options object fits Jest-style `[name, Record<string, unknown>]` reporter entries', () => {
  const options: ReporterOptions = { exitStatus: 2 };
  expectTypeOf(['@promise-failure/jest', options] as [string, ReporterOptions]).toMatchTypeOf<[string, Record<string, unknown>]>();
});
