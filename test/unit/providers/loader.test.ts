import { describe, expect, it } from 'vitest';
import { batchObserver, DataLoader } from '../../../src/providers/loader.js';

const loader = (name: string) => new DataLoader<number, number>(async (keys) => keys.map((k) => k * 2), { name });

describe('DataLoader (observed)', () => {
  it('reports each batch, with its loader name and size, to the observer of the current run', async () => {
    const seen: [string, number][] = [];
    const answers = await batchObserver.run(
      (name, size) => seen.push([name, size]),
      async () => {
        const a = loader('test.a');
        const b = loader('test.b');
        const first = await Promise.all([a.load(1), a.load(2), a.load(3), b.load(4)]);
        // A second tick is a second batch; a cached key is not loaded again.
        const second = await Promise.all([a.load(1), a.load(5)]);
        return [...first, ...second];
      },
    );
    expect(answers).toEqual([2, 4, 6, 8, 2, 10]);
    expect(seen).toEqual([
      ['test.a', 3],
      ['test.b', 1],
      ['test.a', 1],
    ]);
  });

  it('keeps two runs apart and reports nothing outside a run', async () => {
    const one: number[] = [];
    const two: number[] = [];
    await Promise.all([
      batchObserver.run(
        (_, size) => one.push(size),
        () => Promise.all([loader('x').load(1), loader('x').load(2)]),
      ),
      batchObserver.run(
        (_, size) => two.push(size),
        () => loader('y').loadMany([1, 2, 3]),
      ),
    ]);
    expect(one).toEqual([1, 1]);
    expect(two).toEqual([3]);
    await expect(loader('z').load(7)).resolves.toBe(14);
  });
});
