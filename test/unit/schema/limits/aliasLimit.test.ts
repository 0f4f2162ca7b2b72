import { describe, expect, it } from 'vitest';
import { aliasLimitRule } from '../../../../src/schema/limits/aliasLimit.js';
import { bomb, errorsOf } from './helpers.js';

describe('aliasLimitRule', () => {
  it('counts a fragment once per use without expanding it: 10^9 aliases in milliseconds', () => {
    expect(errorsOf(bomb(1, 'a: id'), aliasLimitRule(10))).toEqual([]);
    expect(errorsOf(bomb(1, 'a: id b: name'), aliasLimitRule(10))).toEqual([
      ['QUERY_TOO_COMPLEX', 'The operation uses more than 10 aliases; the limit is 10. Split it into smaller queries.'],
    ]);
    // 10^9 expansions could not be checked within the test's timeout: finishing at all shows each fragment is visited once.
    const value = errorsOf(bomb(9, 'a: id'), aliasLimitRule(30));
    expect(value).toEqual([
      ['QUERY_TOO_COMPLEX', 'The operation uses more than 30 aliases; the limit is 30. Split it into smaller queries.'],
    ]);
  });
});
