import { describe, expect, test } from 'vitest';
import { applyDiscount } from '../src/cart.js';

describe('checkout', () => {
  test('applies a 10 % discount', () => {
    expect(applyDiscount(20, 10)).toBe(18);
  });

  // Fails on purpose: the example shows the reporter promising the job's failure.
  test('applies a 15 % discount', () => {
    expect(applyDiscount(20, 15)).toBe(16);
  });

  // Retries run inside the worker: a test that passes on a later attempt promises nothing.
  let attempts = 0;
  test('survives a flaky first attempt', { retry: 2 }, () => {
    attempts += 1;
    expect(attempts).toBeGreaterThan(1);
  });
});
