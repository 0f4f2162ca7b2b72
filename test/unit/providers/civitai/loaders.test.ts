import { describe, expect, it } from 'vitest';
import type { Freshness, SourceCache } from '../../../../src/cache/sourceCache.js';
import type { CivitaiClient, ConsumptionDetailsDto } from '../../../../src/providers/civitai/client.js';
import { createCivitaiLoaders, type ConsumptionKey } from '../../../../src/providers/civitai/loaders.js';

/** Lets the other pending calls go first, so a slow window answers after its neighbours. */
const later = () => new Promise((resolve) => setImmediate(resolve));

const DAY = 86_400_000;
const JAN = Date.UTC(2026, 0, 1);
const day = (n: number): ConsumptionKey => ({ startMs: JAN + n * DAY, endMs: JAN + (n + 1) * DAY });

/** A fake client recording every call; windows starting at `slow` answer last, at `failing` throw. */
function fakeClient(opts: { slow?: number[]; failing?: number[]; totalCost?: string } = {}) {
  const calls: [string, number, number][] = [];
  const client = {
    consumption: async (startMs: number, endMs: number): Promise<ConsumptionDetailsDto> => {
      calls.push(['consumption', startMs, endMs]);
      if (opts.slow?.includes(startMs)) {
        await later();
        await later();
      }
      if (opts.failing?.includes(startMs)) throw new Error(`window ${startMs} failed`);
      return {
        images: String((startMs - JAN) / DAY),
        totalCost: opts.totalCost ?? '0.10',
        startDate: new Date(startMs).toISOString(),
        endDate: new Date(endMs).toISOString(),
      };
    },
  };
  return { client: client as unknown as CivitaiClient, calls };
}

describe('createCivitaiLoaders', () => {
  it('answers in key order whatever order the upstream answers', async () => {
    const { client } = fakeClient({ slow: [day(0).startMs] });
    const loaders = createCivitaiLoaders(client);
    const results = (await loaders.consumption.loadMany([day(0), day(1), day(2)])) as ConsumptionDetailsDto[];
    expect(results.map((r) => r.images)).toEqual(['0', '1', '2']);
    expect(results.map((r) => r.startDate)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
  });

  it('makes exactly one consumption call per distinct window, with its exact bounds in ms', async () => {
    const { client, calls } = fakeClient();
    const loaders = createCivitaiLoaders(client);
    const results = await loaders.consumption.loadMany([day(0), day(1), { ...day(0) }, day(1), day(2)]);
    await loaders.consumption.load(day(2));
    expect(calls).toEqual([
      ['consumption', JAN, JAN + DAY],
      ['consumption', JAN + DAY, JAN + 2 * DAY],
      ['consumption', JAN + 2 * DAY, JAN + 3 * DAY],
    ]);
    expect(results[2]).toBe(results[0]);
    expect(results[3]).toBe(results[1]);
  });

  it('keeps a failing window on its own key while the other windows still answer', async () => {
    const { client, calls } = fakeClient({ failing: [day(1).startMs] });
    const loaders = createCivitaiLoaders(client);
    const results = await loaders.consumption.loadMany([day(0), day(1), day(2)]);
    expect((results[0] as ConsumptionDetailsDto).images).toBe('0');
    expect(results[1]).toEqual(new Error(`window ${day(1).startMs} failed`));
    expect((results[2] as ConsumptionDetailsDto).images).toBe('2');
    expect(calls).toHaveLength(3);
  });

  it('passes the totalCost decimal string through digit for digit', async () => {
    const totalCost = '12345678901234567890.000000000000000000017';
    const { client } = fakeClient({ totalCost });
    const result = await createCivitaiLoaders(client).consumption.load(day(0));
    expect(result.totalCost).toBe(totalCost);
  });

  it('keys the cache by start|end, final only for windows that have ended', async () => {
    const { client } = fakeClient();
    const through: [string, string, Freshness][] = [];
    const cache = {
      through: (operation: string, params: string, freshness: Freshness, load: () => Promise<unknown>) => {
        through.push([operation, params, freshness]);
        return load();
      },
    } as SourceCache;
    const loaders = createCivitaiLoaders(client, cache, () => JAN + 2 * DAY);
    await loaders.consumption.loadMany([day(0), day(1), day(2)]);
    expect(through).toEqual([
      ['consumption', `${JAN}|${JAN + DAY}`, 'final'],
      ['consumption', `${JAN + DAY}|${JAN + 2 * DAY}`, 'final'],
      ['consumption', `${JAN + 2 * DAY}|${JAN + 3 * DAY}`, 'open'],
    ]);
  });
});
