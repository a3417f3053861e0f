import { describe, expect, it } from 'vitest';
import { canonicalHeaderName, readRequestHeaders } from './request-headers.js';

describe('readRequestHeaders', () => {
  it('rebuilds the headers as the agent does: Buildkite-* only, in canonical case (the agent test’s own cases)', () => {
    expect(
      readRequestHeaders({
        HOME: '/where/the/heart/is',
        BUILDKITE_REQUEST_HEADER_BUILDKITE_FOO: 'bar',
        BUILDKITE_REQUEST_HEADER_BUILDKITE_ANOTHER_THING: 'something else',
        BUILDKITE_REQUEST_HEADER_CONTENT_TYPE: 'reject/this',
      }),
    ).toEqual({ 'Buildkite-Foo': 'bar', 'Buildkite-Another-Thing': 'something else' });
  });

  it('reads the variable the agent sets for a header Buildkite-Hello', () => {
    expect(readRequestHeaders({ BUILDKITE_REQUEST_HEADER_BUILDKITE_HELLO: 'world' })).toEqual({ 'Buildkite-Hello': 'world' });
  });

  it('drops what the agent would drop, and what no header can carry, each with a debug line', () => {
    const lines: string[] = [];
    const headers = readRequestHeaders(
      {
        BUILDKITE_REQUEST_HEADER_TIMESTAMP: '1',
        BUILDKITE_REQUEST_HEADER_: 'empty',
        'BUILDKITE_REQUEST_HEADER_BUILDKITE_BAD NAME': 'x',
        BUILDKITE_REQUEST_HEADER_BUILDKITE_TEXT: '日本',
        BUILDKITE_REQUEST_HEADER_BUILDKITE_OK: 'v',
      },
      (line) => lines.push(line),
    );
    expect(headers).toEqual({ 'Buildkite-Ok': 'v' });
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).not.toContain('日本');
  });

  it('sends both values when two variables name one header, as the agent does', () => {
    expect(readRequestHeaders({ BUILDKITE_REQUEST_HEADER_BUILDKITE_FOO: 'a', BUILDKITE_REQUEST_HEADER_Buildkite_Foo: 'b' })).toEqual({
      'Buildkite-Foo': 'a, b',
    });
  });
});

describe('canonicalHeaderName', () => {
  it('matches Go’s http.CanonicalHeaderKey', () => {
    expect(canonicalHeaderName('BUILDKITE-HELLO')).toBe('Buildkite-Hello');
    expect(canonicalHeaderName('buildkite-another-thing')).toBe('Buildkite-Another-Thing');
    expect(canonicalHeaderName('BUILDKITE-2X')).toBe('Buildkite-2x');
    expect(canonicalHeaderName('BUILDKITE-BAD NAME')).toBe('BUILDKITE-BAD NAME');
  });
});
