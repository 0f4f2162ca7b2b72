import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../../src/errors.js';
import type { SourceModel } from '../../../../src/models.js';
import { sourceAccount } from '../../../../src/providers/sourceAccount.js';
import { TheirstackApi } from '../../../../src/providers/theirstack/api.js';
import type { CreditsDayDto, TheirstackClient } from '../../../../src/providers/theirstack/client.js';
import { createTheirstackLoaders } from '../../../../src/providers/theirstack/loaders.js';
import { bucketed, pointRow } from '../../helpers/windows.js';

const SOURCE: SourceModel = { id: 'ts', provider: 'THEIRSTACK', name: 'TheirStack' };
const BERLIN = 'Europe/Berlin';
const NOW = Date.parse('2026-10-02T12:00:00Z');

const day = (period_start: string, api: string, ui: string): CreditsDayDto =>
  ({ period_start, api_credits_consumed: api, ui_credits_consumed: ui }) as CreditsDayDto;

/** Three Berlin days of October, as TheirStack reports them (wall-clock starts in the asked zone). */
const DAYS = [day('2026-10-01', '10', '0.5'), day('2026-10-02', '2.25', '0'), day('2026-10-03', '0', '1')];

/** A TheirstackApi over real loaders and a fake client answering `days`; each upstream call logged. */
function theirstack(days: CreditsDayDto[] = DAYS) {
  const calls: string[] = [];
  const client = {
    creditsConsumption: async (startMs: number, endMs: number, timeZone: string) => {
      calls.push(`${new Date(startMs).toISOString()} ${new Date(endMs).toISOString()} ${timeZone}`);
      return days;
    },
    badResponse: (_request: unknown, message: string) => new Error(`bad response: ${message}`),
  } as unknown as TheirstackClient;
  const api = new TheirstackApi(
    SOURCE,
    createTheirstackLoaders(client, undefined, () => NOW),
    () => NOW,
  );
  return { api, calls };
}

// Berlin midnights (CEST, +02:00) of 1–4 October 2026.
const EDGES = ['2026-09-30T22:00:00Z', '2026-10-01T22:00:00Z', '2026-10-02T22:00:00Z', '2026-10-03T22:00:00Z'];
const account = sourceAccount(SOURCE);

describe('TheirstackApi', () => {
  it('sums the days exactly into the buckets asked for, cost in CREDITS', async () => {
    const { api, calls } = theirstack();
    const total = await api.accountConsumption(account, bucketed([EDGES[0]!, EDGES[3]!], 'TOTAL', BERLIN));
    expect(calls).toEqual(['2026-09-30T22:00:00.000Z 2026-10-03T22:00:00.000Z Europe/Berlin']);
    expect(total.map(pointRow)).toEqual([
      ['2026-09-30T22:00:00Z', 'api_credits', '12.25', 'credit', '12.25 CREDITS'],
      ['2026-09-30T22:00:00Z', 'ui_credits', '1.5', 'credit', '1.5 CREDITS'],
    ]);
  });

  it('gives a point per metric and day, final once the local day is over', async () => {
    const { api } = theirstack();
    const days = await api.accountConsumption(account, bucketed(EDGES, 'DAY', BERLIN));
    expect(days.map(pointRow)).toEqual([
      ['2026-09-30T22:00:00Z', 'api_credits', '10', 'credit', '10 CREDITS'],
      ['2026-09-30T22:00:00Z', 'ui_credits', '0.5', 'credit', '0.5 CREDITS'],
      ['2026-10-01T22:00:00Z', 'api_credits', '2.25', 'credit', '2.25 CREDITS'],
      ['2026-10-01T22:00:00Z', 'ui_credits', '0', 'credit', '0 CREDITS'],
      ['2026-10-02T22:00:00Z', 'api_credits', '0', 'credit', '0 CREDITS'],
      ['2026-10-02T22:00:00Z', 'ui_credits', '1', 'credit', '1 CREDITS'],
    ]);
    expect(days.map((p) => p.isFinal)).toEqual([true, true, false, false, false, false]);
  });

  it('makes one call for a window whatever granularities read it', async () => {
    const { api, calls } = theirstack();
    await api.accountConsumption(account, bucketed(EDGES, 'DAY', BERLIN));
    await api.accountConsumption(account, bucketed([EDGES[0]!, EDGES[3]!], 'TOTAL', BERLIN));
    expect(calls).toHaveLength(1);
  });

  it('refuses a window starting inside a local day, saying which midnights to use, before any call', async () => {
    const { api, calls } = theirstack();
    const failure = api.accountConsumption(account, bucketed(['2026-10-01T00:00:00Z', EDGES[3]!], 'TOTAL', BERLIN));
    await expect(failure).rejects.toBeInstanceOf(BadUserInputError);
    await expect(failure).rejects.toMatchObject({
      message:
        'Argument "window.start" must be a midnight in "Europe/Berlin" because TheirStack source "ts" reports whole days, got "2026-10-01T00:00:00Z" (2026-10-01 02:00:00 there); use "2026-10-01T00:00:00+02:00" or "2026-10-02T00:00:00+02:00".',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'window' },
    });
    expect(calls).toEqual([]);
  });

  it('refuses a window ending inside a local day', async () => {
    const { api } = theirstack();
    await expect(
      api.accountConsumption(account, bucketed([EDGES[0]!, '2026-10-03T12:00:00Z'], 'TOTAL', BERLIN)),
    ).rejects.toThrow(
      'Argument "window.end" must be a midnight in "Europe/Berlin" because TheirStack source "ts" reports whole days, got "2026-10-03T12:00:00Z" (2026-10-03 14:00:00 there); use "2026-10-03T00:00:00+02:00" or "2026-10-04T00:00:00+02:00".',
    );
  });

  it('refuses an answer missing a day of the window rather than reading it as zero', async () => {
    const { api } = theirstack([DAYS[0]!, DAYS[2]!]);
    await expect(api.accountConsumption(account, bucketed(EDGES, 'DAY', BERLIN))).rejects.toThrow(
      'bad response: 1 of the asked days missing, the first 2026-10-02 in "Europe/Berlin" (a missing day is not read as 0 credits: options.missingDays)',
    );
  });
});
