import { describe, expect, it } from 'vitest';
import { accountDto, billingExceptionDto, bundleDto } from '../../../../src/providers/killbill/dto.js';

const ID = '1f0e8a52-8d4c-4bde-9b7b-2c51a0e3a8f1';

describe("Kill Bill's answer shapes", () => {
  it('takes an account with a UUID and refuses one without', () => {
    expect(accountDto.parse({ accountId: ID, name: 'Acme' })).toEqual({ accountId: ID, name: 'Acme' });
    expect(accountDto.safeParse({ accountId: 'acme' }).success).toBe(false);
  });

  it('checks the subscriptions inside a bundle too', () => {
    expect(bundleDto.safeParse({ accountId: ID, bundleId: ID, subscriptions: [{ subscriptionId: 'x' }] }).success).toBe(
      false,
    );
  });

  it("reads a billing exception's code as the literal the lossless parser gives", () => {
    expect(billingExceptionDto.parse({ code: '50000', message: 'exists' })).toEqual({
      code: '50000',
      message: 'exists',
    });
  });
});
