import { describe, expect, it } from 'vitest';
import { depthLimitRule } from '../../../../src/schema/limits/depthLimit.js';
import { bomb, errorsOf } from './helpers.js';

describe('depthLimitRule', () => {
  it('measures depth through fragments and inline fragments, with the message it always had', () => {
    const query = `{ accounts { edges { node { ...A } } } } fragment A on Account { resources { ... on Machine { cloudspace { account { id } } } } }`;
    expect(errorsOf(query, depthLimitRule(7))).toEqual([]);
    expect(errorsOf(query, depthLimitRule(6))).toEqual([
      ['QUERY_TOO_COMPLEX', 'The operation is 7 fields deep; the limit is 6. Split it into smaller queries.'],
    ]);
  });

  it('measures a fragment bomb of 10^9 expansions once per fragment', () => {
    // 10^9 expansions could not be checked within the test's timeout: finishing at all shows each fragment is visited once.
    const value = errorsOf(bomb(9, 'resources { account { resources { account { id } } } }'), depthLimitRule(6));
    expect(value).toEqual([
      ['QUERY_TOO_COMPLEX', 'The operation is 8 fields deep; the limit is 6. Split it into smaller queries.'],
    ]);
  });
});
