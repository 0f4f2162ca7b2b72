import { parse, specifiedRules, validate } from 'graphql';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../../src/schema/index.js';
import { aliasLimitRule } from '../../../src/schema/limits/aliasLimit.js';

const schema = createSchema();
const errorsOf = (query: string, rule: ReturnType<typeof aliasLimitRule>) => validate(schema, parse(query), [...specifiedRules, rule]).map((e) => [e.extensions.code, e.message]);

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

describe('aliasLimitRule', () => {
  it('counts a fragment once per use without expanding it: 10^9 aliases in milliseconds', () => {
    expect(errorsOf(bomb(1, 'a: id'), aliasLimitRule(10))).toEqual([]);
    expect(errorsOf(bomb(1, 'a: id b: name'), aliasLimitRule(10))).toEqual([['QUERY_TOO_COMPLEX', 'The operation uses more than 10 aliases; the limit is 10. Split it into smaller queries.']]);
    const { value, ms } = timed(() => errorsOf(bomb(9, 'a: id'), aliasLimitRule(30)));
    expect(value).toEqual([['QUERY_TOO_COMPLEX', 'The operation uses more than 30 aliases; the limit is 30. Split it into smaller queries.']]);
    expect(ms).toBeLessThan(500);
  });
});
