import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maximumBodyBytes, readBodyStart } from './read-body.js';

/** A 1 MiB body in 1 KiB chunks that counts what was pulled from it. */
function largeBody(): { body: Readable; pulled: () => number } {
  let pulled = 0;
  const body = new Readable({
    highWaterMark: 1_024,
    read() {
      if (pulled >= 1_024 * 1_024) return void this.push(null);
      pulled += 1_024;
      this.push(Buffer.alloc(1_024, 'a'));
    },
  });
  return { body, pulled: () => pulled };
}

describe('readBodyStart', () => {
  it('reads at most 16 KB, then destroys the body', async () => {
    const { body, pulled } = largeBody();
    const text = await readBodyStart(body);
    expect(text).toHaveLength(maximumBodyBytes);
    expect(body.destroyed).toBe(true);
    // The stream reads ahead a little, never the whole body.
    expect(pulled()).toBeLessThan(64 * 1_024);
  });

  it('never reads past 16 KB, whatever limit it is asked for', async () => {
    const { body, pulled } = largeBody();
    expect(await readBodyStart(body, Number.POSITIVE_INFINITY)).toHaveLength(maximumBodyBytes);
    expect(pulled()).toBeLessThan(64 * 1_024);
  });

  it('reads nothing with a limit of 0', async () => {
    const { body, pulled } = largeBody();
    expect(await readBodyStart(body, 0)).toBe('');
    expect(body.destroyed).toBe(true);
    expect(pulled()).toBe(0);
  });
});
