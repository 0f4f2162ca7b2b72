import { describe, expect, it } from 'vitest';
import { perKey, single } from '../../../src/providers/batch.js';

describe('single', () => {
  it('answers every key of a batch with the one shared result, from one call', async () => {
    let calls = 0;
    const batch = single(async () => {
      calls++;
      return ['acc-1', 'acc-2'];
    });
    const results = await batch(['all', 'all', 'all']);
    expect(calls).toBe(1);
    expect(results).toHaveLength(3);
    expect(results[0]).toEqual(['acc-1', 'acc-2']);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it('puts the failure on every key instead of rejecting the batch', async () => {
    const failure = new Error('upstream down');
    const results = await single(async () => {
      throw failure;
    })(['a', 'b']);
    expect(results).toEqual([failure, failure]);
    expect(results[0]).toBe(failure);
  });
});

describe('perKey', () => {
  it('makes one call per key and answers in key order', async () => {
    const asked: string[] = [];
    const batch = perKey(async (key: string) => {
      asked.push(key);
      // The first key answers last: order must follow the keys, not the answers.
      if (key === 'a') await new Promise((resolve) => setImmediate(resolve));
      return key.toUpperCase();
    });
    expect(await batch(['a', 'b', 'c'])).toEqual(['A', 'B', 'C']);
    expect(asked).toEqual(['a', 'b', 'c']);
  });

  it('keeps a failure on its own key, never failing its neighbours', async () => {
    const failure = new Error('no machine m-2');
    const results = await perKey(async (key: string) => {
      if (key === 'm-2') throw failure;
      return `${key} ok`;
    })(['m-1', 'm-2', 'm-3']);
    expect(results).toEqual(['m-1 ok', failure, 'm-3 ok']);
    expect(results[1]).toBe(failure);
  });

  it('answers an empty batch with an empty list', async () => {
    expect(await perKey(async (key: string) => key)([])).toEqual([]);
  });
});
