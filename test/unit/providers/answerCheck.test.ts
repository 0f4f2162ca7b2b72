import { describe, expect, it } from 'vitest';
import { answeredOther } from '../../../src/providers/answerCheck.js';

describe('answeredOther', () => {
  it('names the field, what came back and what was asked', () => {
    expect(answeredOther('account', '2', '1')).toBe('a body for account "1" where billgraph asked for "2"');
  });

  it('cuts upstream-controlled values to 40 characters', () => {
    const long = 'x'.repeat(100);
    expect(answeredOther('subscription', 'asked', long)).toBe(
      `a body for subscription "${'x'.repeat(40)}…" where billgraph asked for "asked"`,
    );
  });
});
