import { parse as losslessParse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { NUMBER_MARK, parseJsonLossless, parseJsonTyped } from '../../../src/lib/parseJsonLossless.js';

/** lossless-json, the parser this one replaced, as the oracle: numbers as their literal strings. */
const oracle = (text: string) => losslessParse(text, undefined, (literal: string) => literal);

describe('parseJsonLossless', () => {
  it('keeps every digit of every number as its literal string', () => {
    expect(
      parseJsonLossless('{"a": 0.015774193694443002001, "b": [69444459018.977040, 1e-7, -0, 12345678901234567890123]}'),
    ).toEqual({
      a: '0.015774193694443002001',
      b: ['69444459018.977040', '1e-7', '-0', '12345678901234567890123'],
    });
  });

  it('leaves strings alone, digits, escaped quotes and backslashes included', () => {
    const text = String.raw`{"id":"12","q":"say \"1.5\" \\","bs":"\\\\","u":"\u0031","k-1":[true,false,null,"-3"]}`;
    expect(parseJsonLossless(text)).toEqual({
      id: '12',
      q: 'say "1.5" \\',
      bs: '\\\\',
      u: '1',
      'k-1': [true, false, null, '-3'],
    });
    expect(parseJsonLossless(text)).toEqual(oracle(text));
  });

  it('agrees with lossless-json on bodies shaped like every upstream', () => {
    const bodies = [
      '{"account":{"id":1,"cloudspaces":{"1":{"machines":{"7":{"consumption":{"CU":2232.000000,"SU":101.718192}}}}}}}',
      '[{"id":1,"name":"NASA","acl":[{"right":"ACDRUX","explicit":true}],"creationTime":1640350037}]',
      '{"rolledUpUnits":[{"unitType":"api-calls","amount":333333333.333333333}],"startDate":"2026-10-01"}',
      '  [ ]  ',
      '"just a string"',
      '42',
    ];
    for (const body of bodies) expect(parseJsonLossless(body)).toEqual(oracle(body));
  });

  it('refuses what is not JSON, never turning a malformed number into a string', () => {
    for (const bad of [
      '{"a": 01}',
      '[1.]',
      '[1-2]',
      '[-]',
      '[- 1]',
      '{"a": 1e}',
      '[.5]',
      '{"a":1 "b":2}',
      '{"a": "open',
      '[1,]',
      'nul',
      '',
      '{"a": NaN}',
      '[+1]',
      '[1e+]',
      '[-01]',
      '[1.5.5]',
      '[0x1]',
      '["a"1]',
    ]) {
      expect(() => parseJsonLossless(bad), bad).toThrow(SyntaxError);
      expect(() => oracle(bad), bad).toThrow();
    }
  });

  it('agrees with lossless-json on 500 generated documents (fixed seed)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const number = () =>
      `${pick(['', '-'])}${pick(['0', String(Math.floor(random() * 1e6)), '123456789012345678901234567890'])}${pick(['', '.5', '.000100', '.015774193694443002001'])}${pick(['', 'e7', 'E-3', 'e+12'])}`;
    const string = () =>
      JSON.stringify(pick(['', 'plain', 'with "quotes"', 'back\\slash\\', '12.5', '-3', 'tab\t', 'ünï', '\\"']));
    const value = (depth: number): string => {
      const kind = depth > 3 ? pick(['n', 's', 'l']) : pick(['n', 's', 'l', 'o', 'a']);
      if (kind === 'n') return number();
      if (kind === 's') return string();
      if (kind === 'l') return pick(['true', 'false', 'null']);
      const size = Math.floor(random() * 4);
      const items = Array.from({ length: size }, (_, i) =>
        kind === 'o' ? `${JSON.stringify(`k${i}`)}${pick([':', ' : '])}${value(depth + 1)}` : value(depth + 1),
      );
      return kind === 'o' ? `{${items.join(pick([',', ', ']))}}` : `[${items.join(',')}]`;
    };
    for (let i = 0; i < 500; i++) {
      const text = value(0);
      expect(parseJsonLossless(text), text).toEqual(oracle(text));
    }
  });
});

describe('parseJsonTyped', () => {
  it('marks every number literal, keeps every digit, and leaves strings that look like numbers unmarked', () => {
    expect(
      parseJsonTyped('{"n": 0.015774193694443002001, "q": "12", "a": [-0, 1e-7, true, null], "s": "a \\"1\\""}'),
    ).toEqual({
      n: `${NUMBER_MARK}0.015774193694443002001`,
      q: '12',
      a: [`${NUMBER_MARK}-0`, `${NUMBER_MARK}1e-7`, true, null],
      s: 'a "1"',
    });
  });

  it('agrees with parseJsonLossless once the marks are removed, and refuses what it refuses', () => {
    const text = '{"account":{"id":1,"cloudspaces":{"1":{"consumption":{"CU":2232.000000}}}},"x":[1,2.5,"3"]}';
    const unmark = (v: unknown): unknown =>
      typeof v === 'string'
        ? v.replace(NUMBER_MARK, '')
        : Array.isArray(v)
          ? v.map(unmark)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmark(x)]))
            : v;
    expect(unmark(parseJsonTyped(text))).toEqual(parseJsonLossless(text));
    for (const bad of ['01', '1.', '{"a":1-2}', '-x', '{"a": }'])
      expect(() => parseJsonTyped(bad), bad).toThrow(SyntaxError);
  });
});
