import { describe, expect, it } from 'vitest';
import { createCostRateLimiter } from '../../../src/security/costRateLimiter.js';

describe('createCostRateLimiter', () => {
  it('lets a tenant spend its budget, then refuses with RATE_LIMITED and a Retry-After within the window', async () => {
    const limiter = createCostRateLimiter({ costPerWindow: 10, windowSeconds: 60 });
    await limiter.charge('a', 6);
    await limiter.charge('a', 4);
    const refused = await limiter
      .charge('a', 1)
      .catch((e: unknown) => e as { code: string; extensions: { retryAfter: number } });
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    expect((refused as { extensions: { retryAfter: number } }).extensions.retryAfter).toBeGreaterThanOrEqual(1);
    expect((refused as { extensions: { retryAfter: number } }).extensions.retryAfter).toBeLessThanOrEqual(60);
    await expect(limiter.charge('b', 10)).resolves.toBeUndefined();
  });

  it('adds work beyond the estimate to the window, so the next request pays for it', async () => {
    const limiter = createCostRateLimiter({ costPerWindow: 10, windowSeconds: 60 });
    await limiter.charge('a', 2);
    await limiter.chargeExtra('a', 7);
    await expect(limiter.charge('a', 1)).resolves.toBeUndefined();
    await expect(limiter.charge('a', 1)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await limiter.chargeExtra('b', -5); // less work than estimated is not refunded, nor an error
    await expect(limiter.charge('b', 10)).resolves.toBeUndefined();
  });

  it('refuses a request costing more than the whole budget as QUERY_TOO_COMPLEX', async () => {
    const limiter = createCostRateLimiter({ costPerWindow: 10, windowSeconds: 60 });
    await expect(limiter.charge('a', 11)).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    await expect(limiter.charge('a', 10)).resolves.toBeUndefined();
  });
});
