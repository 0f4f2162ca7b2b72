import { describe, expect, it } from 'vitest';
import { splitWindow, type Bucket } from '../../../../src/lib/buckets.js';
import { decodeId } from '../../../../src/lib/ids.js';
import { totalsByCurrency } from '../../../../src/lib/money.js';
import { validateWindow } from '../../../../src/lib/timeWindow.js';
import type { SourceModel } from '../../../../src/models.js';
import type { KillbillSubscriptionDto } from '../../../../src/providers/killbill/client.js';
import {
  FINALISATION_LAG_MS,
  isFinalBucket,
  toAccount,
  toPoints,
  toSubscription,
  usageDateRange,
  type PointContext,
} from '../../../../src/providers/killbill/mapping.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const source: SourceModel = { id: 'kb', provider: 'KILLBILL', name: 'Kill Bill' };
const ACCOUNT = '2ad4e3ea-7d84-4a71-a6d6-d5ae01e6b1a1';
const SUBSCRIPTION = '8f0b7c62-3f3e-4d47-9f2b-2b5c1e0a9d11';
const BUNDLE = 'c1a5b2d3-0e4f-4a6b-8c7d-9e0f1a2b3c4d';
const ms = (iso: string): number => Date.parse(iso);

const [day] = splitWindow(
  validateWindow({ start: '2026-10-05T00:00:00Z', end: '2026-10-06T00:00:00Z' }, limits),
  'DAY',
  limits,
) as [Bucket];
const dayEnd = ms('2026-10-06T00:00:00Z');

const context = (overrides: Partial<PointContext> = {}): PointContext => ({
  source,
  prices: {},
  accountProviderId: ACCOUNT,
  now: dayEnd,
  ...overrides,
});

const subscription = (overrides: Partial<KillbillSubscriptionDto> = {}): KillbillSubscriptionDto => ({
  subscriptionId: SUBSCRIPTION,
  accountId: ACCOUNT,
  ...overrides,
});

describe('toAccount', () => {
  it('maps an account, its id encoding the source and the Kill Bill account id', () => {
    const account = toAccount(source, { accountId: ACCOUNT, name: 'Acme', email: 'a@example.com' });
    expect(account.__typename).toBe('Account');
    expect(account.source).toBe(source);
    expect(account.providerId).toBe(ACCOUNT);
    expect(account.name).toBe('Acme');
    expect(decodeId(account.id)).toEqual({ kind: 'Account', sourceId: 'kb', parts: [ACCOUNT] });
  });

  it('gives an account without a name a null name', () => {
    expect(toAccount(source, { accountId: ACCOUNT }).name).toBeNull();
    expect(toAccount(source, { accountId: ACCOUNT, name: null }).name).toBeNull();
  });
});

describe('toSubscription', () => {
  it('maps every field of a full subscription', () => {
    const model = toSubscription(
      source,
      subscription({
        bundleId: BUNDLE,
        externalKey: 'acme-gold',
        productName: 'Gold',
        productCategory: 'BASE',
        billingPeriod: 'MONTHLY',
        phaseType: 'EVERGREEN',
        priceList: 'DEFAULT',
        planName: 'gold-monthly',
        state: 'ACTIVE',
        startDate: '2026-01-05T10:00:00.000Z',
        billingEndDate: '2026-12-31T23:59:59.000Z',
        chargedThroughDate: '2026-11-05',
      }),
    );
    expect(model).toMatchObject({
      __typename: 'Subscription',
      providerId: SUBSCRIPTION,
      accountProviderId: ACCOUNT,
      bundleProviderId: BUNDLE,
      externalKey: 'acme-gold',
      productName: 'Gold',
      productCategory: 'BASE',
      billingPeriod: 'MONTHLY',
      phaseType: 'EVERGREEN',
      priceList: 'DEFAULT',
      planName: 'gold-monthly',
      state: 'ACTIVE',
      startDate: '2026-01-05T10:00:00Z',
      billingEndDate: '2026-12-31T23:59:59Z',
      chargedThroughDate: '2026-11-05',
    });
    expect(model.source).toBe(source);
  });

  it('encodes only the subscription id in its id', () => {
    expect(decodeId(toSubscription(source, subscription()).id)).toEqual({
      kind: 'Subscription',
      sourceId: 'kb',
      parts: [SUBSCRIPTION],
    });
  });

  it('gives every missing or null optional field null', () => {
    const model = toSubscription(source, subscription({ bundleId: null, startDate: null, chargedThroughDate: null }));
    expect([
      model.bundleProviderId,
      model.externalKey,
      model.productName,
      model.productCategory,
      model.billingPeriod,
      model.phaseType,
      model.priceList,
      model.planName,
      model.state,
      model.startDate,
      model.billingEndDate,
      model.chargedThroughDate,
    ]).toEqual(Array.from({ length: 12 }, () => null));
  });

  it('normalises an instant with an offset to UTC and keeps non-zero milliseconds', () => {
    const model = toSubscription(
      source,
      subscription({ startDate: '2026-01-05T12:00:00+02:00', billingEndDate: '2026-01-05T10:00:00.250Z' }),
    );
    expect(model.startDate).toBe('2026-01-05T10:00:00Z');
    expect(model.billingEndDate).toBe('2026-01-05T10:00:00.250Z');
  });

  it('gives an unreadable instant null rather than a wrong value', () => {
    for (const startDate of ['', '2026-01-05', '2026-01-05T10:00:00', '2026-02-30T10:00:00Z', 'yesterday']) {
      expect(toSubscription(source, subscription({ startDate })).startDate).toBeNull();
    }
  });

  it('keeps a valid charged-through date as it is and gives an impossible or non-date one null', () => {
    expect(toSubscription(source, subscription({ chargedThroughDate: '2028-02-29' })).chargedThroughDate).toBe(
      '2028-02-29',
    );
    for (const chargedThroughDate of ['2026-02-29', '2026-13-01', '2026-11-05T00:00:00Z', '']) {
      expect(toSubscription(source, subscription({ chargedThroughDate })).chargedThroughDate).toBeNull();
    }
  });
});

describe('usageDateRange', () => {
  it('sends dates only when both edges are UTC midnights, the end date being exclusive', () => {
    expect(usageDateRange(ms('2026-10-01T00:00:00Z'), ms('2026-11-01T00:00:00Z'))).toEqual({
      startDate: '2026-10-01',
      endDate: '2026-11-01',
    });
  });

  it('sends full instants for both edges when either is not a UTC midnight', () => {
    expect(usageDateRange(ms('2026-10-01T00:00:00Z'), ms('2026-10-01T01:00:00Z'))).toEqual({
      startDate: '2026-10-01T00:00:00.000Z',
      endDate: '2026-10-01T01:00:00.000Z',
    });
    // A Madrid DAY bucket: local midnights are 22:00 UTC.
    expect(usageDateRange(ms('2026-09-30T22:00:00Z'), ms('2026-10-01T00:00:00Z'))).toEqual({
      startDate: '2026-09-30T22:00:00.000Z',
      endDate: '2026-10-01T00:00:00.000Z',
    });
  });

  it('does not round a window edge one millisecond off midnight', () => {
    expect(usageDateRange(ms('2026-10-01T00:00:00Z'), ms('2026-10-02T00:00:00.001Z')).endDate).toBe(
      '2026-10-02T00:00:00.001Z',
    );
  });
});

describe('toPoints', () => {
  it('makes one point per unit type sorted by unit type, metric and unit both the unit name', () => {
    const amounts = new Map([
      ['storage-gb', '10'],
      ['api-calls', '3'],
      ['Bandwidth', '7'],
    ]);
    const points = toPoints(amounts, day, context());
    expect(points.map((p) => [p.metric, p.unit, p.quantity])).toEqual([
      ['Bandwidth', 'Bandwidth', '7'],
      ['api-calls', 'api-calls', '3'],
      ['storage-gb', 'storage-gb', '10'],
    ]);
  });

  it('keeps a quantity beyond 2^53 and a long fraction digit for digit', () => {
    const points = toPoints(
      new Map([
        ['a', '9007199254740993'],
        ['b', '0.100000000000000000000000000001'],
      ]),
      day,
      context(),
    );
    expect(points.map((p) => p.quantity)).toEqual(['9007199254740993', '0.100000000000000000000000000001']);
  });

  it('expands exponents and drops a leading plus sign', () => {
    const points = toPoints(
      new Map([
        ['a', '1.25E+3'],
        ['b', '+4.50'],
      ]),
      day,
      context(),
    );
    expect(points.map((p) => p.quantity)).toEqual(['1250', '4.50']);
  });

  it('reads its window from the bucket, its account from the context, and has no resource', () => {
    const [point] = toPoints(new Map([['api-calls', '1']]), day, context());
    expect([point?.start, point?.end, point?.accountProviderId, point?.resource, point?.source]).toEqual([
      '2026-10-05T00:00:00Z',
      '2026-10-06T00:00:00Z',
      ACCOUNT,
      null,
      source,
    ]);
  });

  it('prices only the unit types the price list names, exactly and in their own currency', () => {
    const prices = {
      'api-calls': { amount: '0.001', currency: 'USD' },
      'storage-gb': { amount: '0.1', currency: 'EUR' },
    };
    const points = toPoints(
      new Map([
        ['api-calls', '9007199254740993'],
        ['storage-gb', '0.3'],
        ['seats', '5'],
      ]),
      day,
      context({ prices }),
    );
    expect(points.map((p) => (p.cost ? [p.metric, p.cost.amount, p.cost.currency] : [p.metric, null]))).toEqual([
      ['api-calls', '9007199254740.993', 'USD'],
      ['seats', null],
      ['storage-gb', '0.03', 'EUR'],
    ]);
    expect(totalsByCurrency(points.map((p) => p.cost))).toEqual([
      { currency: 'EUR', amount: '0.03' },
      { currency: 'USD', amount: '9007199254740.993' },
    ]);
  });

  it('makes no points when the subscription recorded nothing', () => {
    expect(toPoints(new Map(), day, context())).toEqual([]);
  });

  it('marks its points final exactly one day after the bucket ends', () => {
    const amounts = new Map([['api-calls', '1']]);
    expect(toPoints(amounts, day, context({ now: dayEnd + FINALISATION_LAG_MS - 1 }))[0]?.isFinal).toBe(false);
    expect(toPoints(amounts, day, context({ now: dayEnd + FINALISATION_LAG_MS }))[0]?.isFinal).toBe(true);
  });
});

describe('isFinalBucket', () => {
  it('is false until one day after the bucket end and true from that instant on', () => {
    expect(FINALISATION_LAG_MS).toBe(86_400_000);
    expect(isFinalBucket(dayEnd, dayEnd + 3_600_000)).toBe(false);
    expect(isFinalBucket(dayEnd, dayEnd + 86_399_999)).toBe(false);
    expect(isFinalBucket(dayEnd, dayEnd + 86_400_000)).toBe(true);
  });
});
