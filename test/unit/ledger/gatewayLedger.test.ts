import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { configSchema, type Config } from '../../../src/config.js';
import { createGatewayLedger, ledgerLocationOf, type GatewayLedger } from '../../../src/ledger/gatewayLedger.js';
import type { SourceFreshness } from '../../../src/ledger/ledgerApi.js';
import { writeSpans } from '../../../src/ledger/ledgerStore.js';
import { formatDateTime } from '../../../src/lib/dateTime.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, SourceModel } from '../../../src/models.js';
import { BucketPoint, NO_PRICES } from '../../../src/providers/bucketPoint.js';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';
import type { BucketedWindow, SourceApi } from '../../../src/providers/types.js';
import { splitWindow } from '../../../src/lib/buckets.js';

const G8_SOURCE = {
  id: 'g8',
  provider: 'OPENVCLOUD',
  baseUrl: 'http://127.0.0.1:9001',
  credentials: { username: 'billgraph-operator', password: 'Pa55-word-42' },
};
const configWith = (ledger: Record<string, unknown>): Config => configSchema.parse({ sources: [G8_SOURCE], ledger });

describe('ledgerLocationOf', () => {
  const ledgerOf = (ledger: Record<string, unknown>) => configWith(ledger).ledger;

  it('is null when the ledger is off', () => {
    expect(ledgerLocationOf(ledgerOf({ enabled: false }), {})).toBeNull();
  });

  it('is the PostgreSQL database of a url', () => {
    expect(ledgerLocationOf(ledgerOf({ url: 'postgres://billgraph@db:5432/billgraph' }), {})).toEqual({
      kind: 'postgres',
      url: 'postgres://billgraph@db:5432/billgraph',
    });
  });

  it('is memory when asked', () => {
    expect(ledgerLocationOf(ledgerOf({ memory: true }), {})).toEqual({ kind: 'memory' });
  });

  it('is the embedded folder .billgraph/ledger by default, as an absolute path', () => {
    expect(ledgerLocationOf(ledgerOf({}), {})).toEqual({
      kind: 'embedded',
      dataDir: join(process.cwd(), '.billgraph', 'ledger'),
    });
    expect(ledgerLocationOf(ledgerOf({}), { BILLGRAPH_DATA_DIR: '' })).toEqual({
      kind: 'embedded',
      dataDir: join(process.cwd(), '.billgraph', 'ledger'),
    });
  });

  it('is "ledger" under BILLGRAPH_DATA_DIR when that is set', () => {
    expect(ledgerLocationOf(ledgerOf({}), { BILLGRAPH_DATA_DIR: '/var/lib/billgraph' })).toEqual({
      kind: 'embedded',
      dataDir: '/var/lib/billgraph/ledger',
    });
    expect(ledgerLocationOf(ledgerOf({}), { BILLGRAPH_DATA_DIR: 'data' })).toEqual({
      kind: 'embedded',
      dataDir: resolve('data', 'ledger'),
    });
  });

  it('is the configured dataDir, resolved, before BILLGRAPH_DATA_DIR', () => {
    expect(ledgerLocationOf(ledgerOf({ dataDir: 'state/l' }), { BILLGRAPH_DATA_DIR: '/var/lib/billgraph' })).toEqual({
      kind: 'embedded',
      dataDir: resolve('state/l'),
    });
  });
});

/** Midnight UTC of a day of November 2026; "now" is 10 November. */
const nov = (d: number): number => Date.UTC(2026, 10, d);
const NOW = nov(10);
const SOURCE: SourceModel = { id: 'g8', provider: 'OPENVCLOUD', name: 'G8' };
/** A daily provider whose buckets are final once ended. */
const MODULE = {
  ...PROVIDER_MODULES.OPENVCLOUD,
  finestGranularity: 'DAY' as const,
  isFinalBucket: (endMs: number, now: number) => endMs <= now,
};
const ACCOUNT: AccountModel = { __typename: 'Account', source: SOURCE, id: 'A1', providerId: 'acc-1', name: 'One' };
const dayWindow = (from: number, to: number): BucketedWindow => {
  const window = {
    startMs: nov(from),
    endMs: nov(to),
    start: formatDateTime(nov(from)),
    end: formatDateTime(nov(to)),
    timeZone: 'UTC',
  };
  return {
    window,
    granularity: 'DAY',
    buckets: splitWindow(window, 'DAY', { maxWindowDays: 366, maxHourWindowDays: 31 }),
  };
};

/** An upstream that answers 2 CU-hours for each bucket it is asked, counting its calls. */
class Upstream implements SourceApi {
  calls = 0;
  listAccounts = async (): Promise<AccountModel[]> => [ACCOUNT];
  getAccount = async (): Promise<AccountModel | null> => ACCOUNT;
  resolveNode = async (): Promise<NodeModel | null> => null;
  async accountConsumption(_account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    this.calls++;
    const origin = {
      source: SOURCE,
      prices: NO_PRICES,
      accountProviderId: 'acc-1',
      resource: null,
      now: NOW,
      isFinalBucket: MODULE.isFinalBucket,
    };
    return window.buckets.map((b) => new BucketPoint(origin, b, 'CU', '2', 'CU-hours'));
  }
}

describe('createGatewayLedger', () => {
  const config = configWith({ memory: true, syncIntervalSeconds: 0 });
  let gl: GatewayLedger;
  const freshness = (): SourceFreshness => ({ fromLedger: 0, live: 0 });
  const spanCount = async (accountId: string) =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ledger_spans where account_id = ${accountId}`.execute(
          gl.current()!.db,
        )
      ).rows[0]!.n,
    );

  beforeAll(() => {
    gl = createGatewayLedger(config, () => NOW, {});
  });
  afterAll(async () => {
    await gl?.close();
  });

  it('is closed until opened: every answer is the upstream API itself, with no last sync', async () => {
    expect(gl.current()).toBeNull();
    await expect(gl.ready()).resolves.toBeUndefined();
    const side = gl.forSource(config.sources[0]!, MODULE, SOURCE);
    const api = new Upstream();
    expect(side.backed(api, freshness())).toBe(api);
    expect(await side.lastSynced()).toBeNull();
    await expect(side.touched('acc-1', nov(1), nov(2))).resolves.toBeUndefined();
  });

  it('opens the in-memory ledger once, however often asked', async () => {
    const first = gl.open();
    expect(gl.open()).toBe(first);
    await first;
    await gl.ready();
    expect(gl.current()?.engine).toBe('pglite');
  });

  it('keeps what a live answer brought once settled, and answers it again from the ledger', async () => {
    const side = gl.forSource(config.sources[0]!, MODULE, SOURCE);
    const upstream = new Upstream();
    const counts = freshness();
    await side.backed(upstream, counts).accountConsumption(ACCOUNT, dayWindow(1, 4));
    await gl.settled();
    expect(await spanCount('acc-1')).toBe(3);
    const again = await side.backed(upstream, counts).accountConsumption(ACCOUNT, dayWindow(1, 4));
    expect(upstream.calls).toBe(1);
    expect(again.map((p) => `${p.start} ${p.quantity}`)).toEqual([
      '2026-11-01T00:00:00Z 2',
      '2026-11-02T00:00:00Z 2',
      '2026-11-03T00:00:00Z 2',
    ]);
    expect(counts).toEqual({ fromLedger: 3, live: 3 });
  });

  it("forgets an account's spans an upstream write touched, and only that account's", async () => {
    const db = gl.current()!.db;
    const span = (accountId: string, d: number) => ({
      accountId,
      resourceId: '',
      bucketStart: formatDateTime(nov(d)),
      bucketEnd: formatDateTime(nov(d + 1)),
    });
    await writeSpans(db, 'g8', [span('acc-9', 5), span('acc-9', 6), span('acc-8', 5)], formatDateTime(NOW));
    await gl.forSource(config.sources[0]!, MODULE, SOURCE).touched('acc-9', nov(5), nov(6));
    expect(await spanCount('acc-9')).toBe(1);
    expect(await spanCount('acc-8')).toBe(1);
  });

  it('says when billgraph sync last wrote the source', async () => {
    await gl
      .current()!
      .db.insertInto('ledger_sync')
      .values({
        source_id: 'g8',
        range_start: formatDateTime(nov(1)),
        range_end: formatDateTime(nov(9)),
        done_until: formatDateTime(nov(9)),
        rows: 3,
        updated_at: '2026-11-09T06:00:00Z',
      })
      .execute();
    expect(await gl.forSource(config.sources[0]!, MODULE, SOURCE).lastSynced()).toBe('2026-11-09T06:00:00Z');
  });

  it('closes: current() is null and answers are live again', async () => {
    await gl.close();
    expect(gl.current()).toBeNull();
    const api = new Upstream();
    expect(gl.forSource(config.sources[0]!, MODULE, SOURCE).backed(api, freshness())).toBe(api);
  });

  it('opens nothing when the ledger is off', async () => {
    const off = createGatewayLedger(configWith({ enabled: false }), () => NOW, {});
    await off.open();
    expect(off.current()).toBeNull();
    await off.close();
  });

  it('closes a ledger still opening as soon as it is open', async () => {
    const early = createGatewayLedger(config, () => NOW, {});
    const opening = early.open();
    await early.close();
    await opening;
    expect(early.current()).toBeNull();
  });
});
