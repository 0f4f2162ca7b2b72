import { describe, expect, it } from 'vitest';
import { directiveLimitRule } from '../../../../src/schema/limits/directiveLimit.js';
import { errorsOf } from './helpers.js';

describe('directiveLimitRule', () => {
  it('counts directives in fragments and reports QUERY_TOO_COMPLEX instead of throwing', () => {
    const query = (n: number) =>
      `{ accounts { ...C } } fragment C on AccountConnection { totalCount ${'@include(if: true) '.repeat(n)} }`;
    expect(errorsOf(query(1), directiveLimitRule(3))).toEqual([]);
    const errors = errorsOf(query(4), directiveLimitRule(3));
    expect(errors[0]).toEqual([
      'QUERY_TOO_COMPLEX',
      'The operation uses more than 3 directives; the limit is 3. Remove repeated directives or split the query.',
    ]);
  });
});
