import { describe, expect, it } from 'vitest';
import { createOperatorAuth } from '../../../src/security/operatorAuth.js';
import { keySha256 } from '../../../src/security/tenantAuth.js';

describe('createOperatorAuth', () => {
  const isOperator = createOperatorAuth([keySha256('operator-one-key'), keySha256('operator-two-key')]);

  it('accepts the bearer key of any listed digest', () => {
    expect(isOperator('Bearer operator-one-key')).toBe(true);
    expect(isOperator('bearer  operator-two-key ')).toBe(true);
  });

  it('refuses a missing header, another scheme, an unknown key and a digest sent as the key', () => {
    for (const header of [
      undefined,
      '',
      'operator-one-key',
      `Basic ${Buffer.from('x:operator-one-key').toString('base64')}`,
      'Bearer operator-three-key',
      `Bearer ${keySha256('operator-one-key')}`,
    ])
      expect(isOperator(header), String(header)).toBe(false);
  });

  it('refuses every key when no operator key is configured', () => {
    expect(createOperatorAuth([])('Bearer operator-one-key')).toBe(false);
  });
});
