import { parse, specifiedRules, validate } from 'graphql';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../../src/schema/index.js';
import { depthLimitRule } from '../../../src/schema/limits/depthLimit.js';

const schema = createSchema();
const errorsOf = (query: string, rule: ReturnType<typeof depthLimitRule>) => validate(schema, parse(query), [...specifiedRules, rule]).map((e) => [e.extensions.code, e.message]);

/** Ten-fold fragment nesting on Account: F<levels> expands to 10^levels copies of F0. */
const bomb = (levels: number, body: string) => {
  const fragments = [`fragment F0 on Account { ${body} }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Account { ${Array.from({ length: 10 }, () => `...F${i - 1}`).join(' ')} }`);
  return `{ accounts { edges { node { ...F${levels} } } } }\n${fragments.join('\n')}`;
};

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
};

describe('depthLimitRule', () => {
  it('measures depth through fragments and inline fragments, with the message it always had', () => {
    const query = `{ accounts { edges { node { ...A } } } } fragment A on Account { resources { ... on Machine { cloudspace { account { id } } } } }`;
    expect(errorsOf(query, depthLimitRule(7))).toEqual([]);
    expect(errorsOf(query, depthLimitRule(6))).toEqual([['QUERY_TOO_COMPLEX', 'The operation is 7 fields deep; the limit is 6. Split it into smaller queries.']]);
  });

  it('measures a fragment bomb of 10^9 expansions once per fragment', () => {
    const { value, ms } = timed(() => errorsOf(bomb(9, 'resources { account { resources { account { id } } } }'), depthLimitRule(6)));
    expect(value).toEqual([['QUERY_TOO_COMPLEX', 'The operation is 8 fields deep; the limit is 6. Split it into smaller queries.']]);
    expect(ms).toBeLessThan(500);
  });
});
