import { describe, expect, it } from 'vitest';
import type { Freshness, SourceCache } from '../../../../src/cache/sourceCache.js';
import type { CreditsDayDto, TheirstackClient } from '../../../../src/providers/theirstack/client.js';
import { createTheirstackLoaders, type ConsumptionKey } from '../../../../src/providers/theirstack/loaders.js';
import type { MeasuredSpan } from '../../../../src/lib/rebucket.js';

/** Lets the other pending calls go first, so a slow window answers after its neighbours. */
const later = () => new Promise((resolve) => setImmediate(resolve));

const DAY = 86_400_000;
const JAN = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Days [from, to) of January 2026 in UTC. */
const window = (from: number, to: number, timeZone = 'UTC'): ConsumptionKey => ({
  startMs: JAN + from * DAY,
  endMs: JAN + to * DAY,
  timeZone,
});
const dayDto = (ms: number, api = '1', ui = '0'): CreditsDayDto => ({
  period_start: iso(ms),
  api_credits_consumed: api,
  ui_credits_consumed: ui,
});

type Answer = (startMs: number, endMs: number) => CreditsDayDto[];
/** Every day of the window, api credits = the day of the month. */
const everyDay: Answer = (startMs, endMs) => {
  const days: CreditsDayDto[] = [];
  for (let d = startMs; d < endMs; d += DAY) days.push(dayDto(d, String((d - JAN) / DAY + 1)));
  return days;
};

/** A fake client recording every call; windows starting at `slow` answer last, at `failing` throw. */
function fakeClient(opts: { answer?: Answer; slow?: number[]; failing?: number[] } = {}) {
  const calls: [string, ...unknown[]][] = [];
  const client = {
    creditsConsumption: async (startMs: number, endMs: number, timeZone: string): Promise<CreditsDayDto[]> => {
      calls.push(['creditsConsumption', startMs, endMs, timeZone]);
      if (opts.slow?.includes(startMs)) {
        await later();
        await later();
      }
      if (opts.failing?.includes(startMs)) throw new Error(`window ${startMs} failed`);
      return (opts.answer ?? everyDay)(startMs, endMs);
    },
    badResponse: (request: { operation: string }, what: string) => {
      calls.push(['badResponse', request.operation, what]);
      return new Error(`answered "${request.operation}" with ${what}`);
    },
  };
  return { client: client as unknown as TheirstackClient, calls };
}

const starts = (spans: MeasuredSpan[]) => spans.map((s) => iso(s.startMs));

describe('createTheirstackLoaders', () => {
  it('answers in key order whatever order the upstream answers', async () => {
    const { client } = fakeClient({ slow: [JAN] });
    const loaders = createTheirstackLoaders(client);
    const results = (await loaders.days.loadMany([window(0, 2), window(2, 3), window(3, 5)])) as MeasuredSpan[][];
    expect(results.map(starts)).toEqual([['2026-01-01', '2026-01-02'], ['2026-01-03'], ['2026-01-04', '2026-01-05']]);
    expect(results[0]![0]).toEqual({
      startMs: JAN,
      endMs: JAN + DAY,
      values: { api_credits: '1', ui_credits: '0' },
    });
  });

  it('makes exactly one credits_consumption call per (window, zone), with its exact bounds and zone', async () => {
    const { client, calls } = fakeClient();
    const loaders = createTheirstackLoaders(client);
    await loaders.days.loadMany([window(0, 2), window(0, 2), { ...window(0, 2) }, window(2, 4)]);
    await loaders.days.load(window(2, 4));
    expect(calls).toEqual([
      ['creditsConsumption', JAN, JAN + 2 * DAY, 'UTC'],
      ['creditsConsumption', JAN + 2 * DAY, JAN + 4 * DAY, 'UTC'],
    ]);
  });

  it('treats the same window in another zone as another call', async () => {
    // Midnight 2026-01-01 in Paris is 23:00 UTC the day before.
    const paris = { startMs: JAN - 3_600_000, endMs: JAN + DAY - 3_600_000, timeZone: 'Europe/Paris' };
    const { client, calls } = fakeClient({ answer: () => [dayDto(JAN)] });
    const loaders = createTheirstackLoaders(client);
    const [utc, local] = (await loaders.days.loadMany([window(0, 1), paris])) as MeasuredSpan[][];
    expect(calls).toEqual([
      ['creditsConsumption', JAN, JAN + DAY, 'UTC'],
      ['creditsConsumption', JAN - 3_600_000, JAN + DAY - 3_600_000, 'Europe/Paris'],
    ]);
    expect(utc![0]!.startMs).toBe(JAN);
    expect(local![0]!.startMs).toBe(JAN - 3_600_000);
  });

  it('keeps a failing window on its own key while the other windows still answer', async () => {
    const { client } = fakeClient({ failing: [JAN + DAY] });
    const loaders = createTheirstackLoaders(client);
    const results = await loaders.days.loadMany([window(0, 1), window(1, 2), window(2, 3)]);
    expect(starts(results[0] as MeasuredSpan[])).toEqual(['2026-01-01']);
    expect(results[1]).toEqual(new Error(`window ${JAN + DAY} failed`));
    expect(starts(results[2] as MeasuredSpan[])).toEqual(['2026-01-03']);
  });

  it('makes an answer with an extra day outside the window a bad response on that key only', async () => {
    const { client, calls } = fakeClient({
      answer: (startMs, endMs) =>
        startMs === JAN ? [...everyDay(startMs, endMs), dayDto(endMs)] : everyDay(startMs, endMs),
    });
    const loaders = createTheirstackLoaders(client);
    const results = await loaders.days.loadMany([window(0, 2), window(2, 3)]);
    expect(results[0]).toEqual(
      new Error(
        'answered "teams/credits_consumption" with [2].period_start "2026-01-03", a day outside the requested window',
      ),
    );
    expect(starts(results[1] as MeasuredSpan[])).toEqual(['2026-01-03']);
    expect(calls.filter((c) => c[0] === 'badResponse')).toHaveLength(1);
  });

  it('refuses an answer missing a day by default, and reads it as absent with missingDays "zero"', async () => {
    const answer: Answer = (startMs) => [dayDto(startMs, '7')];
    const strict = await createTheirstackLoaders(fakeClient({ answer }).client).days.loadMany([window(0, 3)]);
    expect(strict[0]).toBeInstanceOf(Error);
    expect((strict[0] as Error).message).toContain('2 of the asked days missing, the first 2026-01-02 in "UTC"');
    const lenient = createTheirstackLoaders(fakeClient({ answer }).client, undefined, Date.now, 'zero');
    expect(starts(await lenient.days.load(window(0, 3)))).toEqual(['2026-01-01']);
  });

  it('keeps the days in the order the upstream lists them', async () => {
    const answer: Answer = (startMs, endMs) => everyDay(startMs, endMs).reverse();
    const spans = await createTheirstackLoaders(fakeClient({ answer }).client).days.load(window(0, 3));
    expect(starts(spans)).toEqual(['2026-01-03', '2026-01-02', '2026-01-01']);
  });

  it('passes the credit decimal strings through digit for digit', async () => {
    const api = '123456789012345678901234567890.000000000000000000001';
    const answer: Answer = (startMs) => [dayDto(startMs, api, '0.5')];
    const [span] = await createTheirstackLoaders(fakeClient({ answer }).client).days.load(window(0, 1));
    expect(span!.values).toEqual({ api_credits: api, ui_credits: '0.5' });
  });

  it('keys the cache by start|end|zone, final only for windows that have ended, never caching a bad answer', async () => {
    const { client } = fakeClient({ answer: () => [] });
    const through: [string, string, Freshness][] = [];
    const kept: unknown[] = [];
    const cache = {
      through: async (operation: string, params: string, freshness: Freshness, load: () => Promise<unknown>) => {
        through.push([operation, params, freshness]);
        kept.push(await load());
        return kept.at(-1);
      },
    } as SourceCache;
    const loaders = createTheirstackLoaders(client, cache, () => JAN + 2 * DAY);
    const results = await loaders.days.loadMany([window(0, 2), window(2, 3)]);
    expect(through).toEqual([
      ['credits_consumption', `${JAN}|${JAN + 2 * DAY}|UTC`, 'final'],
      ['credits_consumption', `${JAN + 2 * DAY}|${JAN + 3 * DAY}|UTC`, 'open'],
    ]);
    expect(results.every((r) => r instanceof Error)).toBe(true);
    expect(kept).toEqual([]);
  });
});
