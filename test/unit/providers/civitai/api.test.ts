import { describe, expect, it } from 'vitest';
import type { SourceModel } from '../../../../src/models.js';
import { CivitaiApi } from '../../../../src/providers/civitai/api.js';
import type { CivitaiClient, ConsumptionDetailsDto } from '../../../../src/providers/civitai/client.js';
import { createCivitaiLoaders } from '../../../../src/providers/civitai/loaders.js';
import { sourceAccount } from '../../../../src/providers/sourceAccount.js';
import { bucketed, pointRow } from '../../helpers/windows.js';

const SOURCE: SourceModel = { id: 'civ', provider: 'CIVITAI', name: 'Civitai' };
const NOW = Date.parse('2026-10-01T02:30:00Z');

/** A CivitaiApi over real loaders and a fake client answering per window; each upstream call logged. */
function civitai(answer: (startMs: number, endMs: number) => ConsumptionDetailsDto) {
  const calls: string[] = [];
  const client = {
    consumption: async (startMs: number, endMs: number) => {
      calls.push(`${new Date(startMs).toISOString()} ${new Date(endMs).toISOString()}`);
      return answer(startMs, endMs);
    },
  } as unknown as CivitaiClient;
  const api = new CivitaiApi(
    SOURCE,
    createCivitaiLoaders(client, undefined, () => NOW),
    () => NOW,
  );
  return { api, calls };
}

const HOURS = bucketed(
  ['2026-10-01T00:00:00Z', '2026-10-01T01:00:00Z', '2026-10-01T02:00:00Z', '2026-10-01T03:00:00Z'],
  'HOUR',
);

describe('CivitaiApi', () => {
  it('is one account named after the source', async () => {
    const { api, calls } = civitai(() => ({ images: '0', totalCost: '0' }));
    expect(await api.listAccounts()).toEqual([sourceAccount(SOURCE)]);
    expect(calls).toEqual([]);
  });

  it('asks for every bucket exactly and gives one images point per bucket, costed in BUZZ digit for digit', async () => {
    const { api, calls } = civitai((startMs) => ({
      images: String(new Date(startMs).getUTCHours() + 1),
      totalCost: startMs === Date.parse('2026-10-01T01:00:00Z') ? '12.50' : '0.000000000000000001',
    }));
    const points = await api.accountConsumption(sourceAccount(SOURCE), HOURS);
    expect(calls).toEqual([
      '2026-10-01T00:00:00.000Z 2026-10-01T01:00:00.000Z',
      '2026-10-01T01:00:00.000Z 2026-10-01T02:00:00.000Z',
      '2026-10-01T02:00:00.000Z 2026-10-01T03:00:00.000Z',
    ]);
    expect(points.map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'images', '1', 'image', '0.000000000000000001 BUZZ'],
      ['2026-10-01T01:00:00Z', 'images', '2', 'image', '12.50 BUZZ'],
      ['2026-10-01T02:00:00Z', 'images', '3', 'image', '0.000000000000000001 BUZZ'],
    ]);
  });

  it('marks a bucket final only once it is wholly in the past', async () => {
    const { api } = civitai(() => ({ images: '1', totalCost: '1' }));
    const points = await api.accountConsumption(sourceAccount(SOURCE), HOURS);
    expect(points.map((p) => p.isFinal)).toEqual([true, true, false]);
  });

  it('asks for a bucket once per request however often it is read', async () => {
    const { api, calls } = civitai(() => ({ images: '1', totalCost: '1' }));
    await api.accountConsumption(sourceAccount(SOURCE), HOURS);
    await api.accountConsumption(sourceAccount(SOURCE), HOURS);
    expect(calls).toHaveLength(3);
  });

  it('fails the whole series when one bucket’s call fails', async () => {
    const failure = new Error('upstream down');
    const { api } = civitai((startMs) => {
      if (startMs === Date.parse('2026-10-01T01:00:00Z')) throw failure;
      return { images: '1', totalCost: '1' };
    });
    await expect(api.accountConsumption(sourceAccount(SOURCE), HOURS)).rejects.toBe(failure);
  });
});
