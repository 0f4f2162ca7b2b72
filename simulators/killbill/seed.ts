// The Kill Bill simulator's world: seeded accounts → bundles → subscriptions, and the usage
// records (one daily summary per subscription, as Kill Bill recommends — docs/upstreams/killbill.md#k11)
// that GET /1.0/kb/usages rolls up. Everything here is pure, so tests can compute the answer.
//
// Amounts are held as BigInt nano-units (10^-9), matching Kill Bill's `decimal(18,9)` column
// (docs/upstreams/killbill.md#k4), so every sum is exact and no float ever touches a value.

import { createHash } from 'node:crypto';
import { seededStream } from '../prng.js';

export const KILLBILL_DEFAULT_SEED = 0x41cdfa01;

/** First and last (exclusive) day of the seeded daily records, UTC. */
export const KILLBILL_USAGE_FROM = '2026-08-01';
export const KILLBILL_USAGE_TO = '2027-01-01';

/**
 * The integration test's amount that a double cannot hold (docs/upstreams/killbill.md#k8); recorded twice that day,
 * only with the `beyondDoublePrecision` switch (at the demo's egress price a 60 M USD day, so the demo leaves it out).
 */
export const KILLBILL_BIG_AMOUNT = '333333333.333333333';
export const KILLBILL_BIG_AMOUNT_DAY = '2026-10-14';
export const KILLBILL_BIG_UNIT = 'egress-gb';

const NANO = 1_000_000_000n;
const DAY_MS = 86_400_000;

export type ProductCategory = 'BASE' | 'ADD_ON' | 'STANDALONE';
export type SubscriptionState = 'PENDING' | 'ACTIVE' | 'BLOCKED' | 'CANCELLED' | 'EXPIRED';

export interface KillbillAccount {
  accountId: string;
  name: string;
  externalKey: string;
  email: string;
  currency: string;
  timeZone: string;
  /** ISO instant with milliseconds, as Kill Bill renders it. */
  referenceTime: string;
  billCycleDayLocal: number;
  company: string;
  locale: string;
}

export interface KillbillSubscription {
  subscriptionId: string;
  accountId: string;
  bundleId: string;
  externalKey: string;
  bundleExternalKey: string;
  productName: string;
  productCategory: ProductCategory;
  billingPeriod: 'MONTHLY' | 'ANNUAL' | 'NO_BILLING_PERIOD';
  phaseType: 'TRIAL' | 'EVERGREEN';
  priceList: string;
  planName: string;
  state: SubscriptionState;
  /** Epoch milliseconds. */
  startMs: number;
  /** Epoch milliseconds; set for cancelled subscriptions (no usage may be recorded after it). */
  billingEndMs: number | null;
  /** Unit types the subscription's usage is reported in. */
  unitTypes: readonly string[];
}

export interface KillbillBundle {
  bundleId: string;
  accountId: string;
  externalKey: string;
}

export interface UsageRecord {
  subscriptionId: string;
  trackingId: string;
  unitType: string;
  /** Epoch milliseconds. */
  recordMs: number;
  /** Nano-units (10^-9). */
  amountNanos: bigint;
}

/** What the seed adds beyond Kill Bill's ordinary usage (docs/upstreams/killbill.md#switches), off by default. */
export interface KillbillPrecision {
  /** The two KILLBILL_BIG_AMOUNT records on KILLBILL_BIG_AMOUNT_DAY, summing past double precision. @default false */
  readonly beyondDoublePrecision?: boolean;
}

export interface KillbillData {
  seed: number;
  accounts: KillbillAccount[];
  bundles: KillbillBundle[];
  subscriptions: KillbillSubscription[];
  /** Seeded records, in insertion order. */
  records: UsageRecord[];
}

interface Product {
  name: string;
  category: ProductCategory;
  units: readonly string[];
  /** Largest daily amount per unit type, in whole units; 0 = integer counters only. */
  scale: Readonly<Record<string, number>>;
}

const PRODUCTS: readonly Product[] = [
  {
    name: 'Api',
    category: 'BASE',
    units: ['api-calls', 'storage-gb-day', KILLBILL_BIG_UNIT],
    scale: { 'api-calls': 50_000, 'storage-gb-day': 900, [KILLBILL_BIG_UNIT]: 120 },
  },
  {
    name: 'Compute',
    category: 'BASE',
    units: ['cpu-hours', 'gpu-hours', 'memory-gb-hours'],
    scale: { 'cpu-hours': 2_000, 'gpu-hours': 60, 'memory-gb-hours': 8_000 },
  },
  { name: 'Analytics', category: 'ADD_ON', units: ['events', 'queries'], scale: { events: 900_000, queries: 4_000 } },
  { name: 'Support', category: 'ADD_ON', units: [], scale: {} },
];
/** Counters are whole numbers; the rest carry up to nine decimals. */
const INTEGER_UNITS = new Set(['api-calls', 'events', 'queries']);

const ACCOUNTS = [
  { name: 'Acme Corp', key: 'acme', currency: 'USD', timeZone: 'Europe/Madrid', locale: 'es_ES' },
  { name: 'Globex', key: 'globex', currency: 'EUR', timeZone: 'UTC', locale: 'de_DE' },
  { name: 'Initech', key: 'initech', currency: 'GBP', timeZone: 'America/New_York', locale: 'en_US' },
  { name: 'Umbrella Labs', key: 'umbrella', currency: 'USD', timeZone: 'Asia/Tokyo', locale: 'ja_JP' },
] as const;

/** The shared seeded stream plus version-4-shaped UUIDs drawn from it. */
function prng(seed: number) {
  const stream = seededStream(seed);
  const hex = (n: number) => Array.from({ length: n }, () => stream.int(0, 15).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${stream.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  return { ...stream, uuid };
}

const utc = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The same seed always yields the same world; the default seed is the one the tests pin.
 * `scale` (a positive integer, for the benchmark) repeats the four seeded accounts that many
 * times ("Acme Corp", …, then "Acme Corp 2", …) with their own bundles and subscriptions drawn
 * from the same stream. Scale 1 is exactly the world the tests pin. `precision.beyondDoublePrecision` adds the
 * two big-amount records after everything drawn from the stream, so with or without it every other record is
 * the same.
 */
export function generateKillbillData(
  seed: number = KILLBILL_DEFAULT_SEED,
  scale = 1,
  precision: KillbillPrecision = {},
): KillbillData {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got "${scale}".`);
  const r = prng(seed);
  const accounts: KillbillAccount[] = [];
  const bundles: KillbillBundle[] = [];
  const subscriptions: KillbillSubscription[] = [];
  const records: UsageRecord[] = [];

  const copies = Array.from({ length: ACCOUNTS.length * scale }, (_, n) => {
    const a = ACCOUNTS[n % ACCOUNTS.length]!;
    const copy = Math.floor(n / ACCOUNTS.length);
    return copy === 0 ? a : { ...a, name: `${a.name} ${copy + 1}`, key: `${a.key}-${copy + 1}` };
  });
  copies.forEach((a, n) => {
    // A copy is seeded like the account it copies (its month, the cancelled and pending subscriptions).
    const i = n % ACCOUNTS.length;
    const referenceMs = utc(`2026-0${1 + i}-0${1 + r.int(0, 8)}`) + r.int(8, 17) * 3_600_000;
    const account: KillbillAccount = {
      accountId: r.uuid(),
      name: a.name,
      externalKey: a.key,
      email: `billing@${a.key}.example`,
      currency: a.currency,
      timeZone: a.timeZone,
      referenceTime: new Date(referenceMs).toISOString(),
      billCycleDayLocal: new Date(referenceMs).getUTCDate(),
      company: a.name,
      locale: a.locale,
    };
    accounts.push(account);
    const bundleCount = i === 0 || i === ACCOUNTS.length - 1 ? 2 : r.int(1, 2);
    for (let b = 0; b < bundleCount; b++) {
      const bundle: KillbillBundle = {
        bundleId: r.uuid(),
        accountId: account.accountId,
        externalKey: `${a.key}-${b === 0 ? 'main' : `extra-${b}`}`,
      };
      bundles.push(bundle);
      // Every bundle has one BASE; add-ons vary. The first account's first bundle is Api + Analytics
      // (the big amount of docs/upstreams/killbill.md#k8 lives there).
      const base = i === 0 && b === 0 ? PRODUCTS[0]! : r.pick(PRODUCTS.filter((p) => p.category === 'BASE'));
      const addOns =
        i === 0 && b === 0 ? [PRODUCTS[2]!] : PRODUCTS.filter((p) => p.category === 'ADD_ON' && r.next() < 0.6);
      [base, ...addOns].forEach((product, k) => {
        const startMs = referenceMs + k * DAY_MS * r.int(0, 20);
        // Mixed states (docs/upstreams/killbill.md#sim-7): the last account's extra bundle is cancelled
        // mid-October, the last account's first add-on is still PENDING (starts in 2027, no usage yet).
        let state: SubscriptionState = 'ACTIVE';
        let billingEndMs: number | null = null;
        let effectiveStart = startMs;
        if (i === ACCOUNTS.length - 1 && b === 1) {
          state = 'CANCELLED';
          billingEndMs = utc('2026-10-20');
        }
        if (i === ACCOUNTS.length - 1 && b === 0 && k === 1) {
          state = 'PENDING';
          effectiveStart = utc('2027-02-01');
        }
        const period = product.category === 'BASE' ? r.pick(['MONTHLY', 'MONTHLY', 'ANNUAL'] as const) : 'MONTHLY';
        subscriptions.push({
          subscriptionId: r.uuid(),
          accountId: account.accountId,
          bundleId: bundle.bundleId,
          externalKey: `${bundle.externalKey}-${product.name.toLowerCase()}`,
          bundleExternalKey: bundle.externalKey,
          productName: product.name,
          productCategory: product.category,
          billingPeriod: period,
          phaseType: 'EVERGREEN',
          priceList: 'DEFAULT',
          planName: `${product.name.toLowerCase()}-${period.toLowerCase()}`,
          state,
          startMs: effectiveStart,
          billingEndMs,
          unitTypes: product.units,
        });
      });
    }
  });

  // One daily summary per subscription (trackingId per day, all unit types), at a seeded hour.
  for (const s of subscriptions) {
    const product = PRODUCTS.find((p) => p.name === s.productName)!;
    const from = Math.max(utc(KILLBILL_USAGE_FROM), Math.ceil(s.startMs / DAY_MS) * DAY_MS);
    const to = Math.min(utc(KILLBILL_USAGE_TO), s.billingEndMs ?? Number.POSITIVE_INFINITY);
    for (let day = from; day < to; day += DAY_MS) {
      const hour = r.int(0, 3) === 0 ? 0 : r.int(1, 23);
      const trackingId = `daily-${s.subscriptionId.slice(0, 8)}-${isoDay(day)}`;
      for (const unitType of s.unitTypes) {
        if (r.next() < 0.08) continue; // some days report nothing for a unit
        const whole = r.int(0, product.scale[unitType] ?? 100);
        const nanos = INTEGER_UNITS.has(unitType) ? 0 : r.int(0, 999_999) * 1000 + r.int(0, 999);
        records.push({
          subscriptionId: s.subscriptionId,
          trackingId,
          unitType,
          recordMs: day + hour * 3_600_000,
          amountNanos: BigInt(whole) * NANO + BigInt(nanos),
        });
      }
    }
  }
  // 333333333.333333333 twice, summing to 666666666.666666666, past double precision (docs/upstreams/killbill.md#k8).
  const bigSub = subscriptions[0]!;
  for (const n of precision.beyondDoublePrecision ? [1, 2] : []) {
    records.push({
      subscriptionId: bigSub.subscriptionId,
      trackingId: `bulk-transfer-${n}`,
      unitType: KILLBILL_BIG_UNIT,
      recordMs: utc(KILLBILL_BIG_AMOUNT_DAY) + (10 + n) * 3_600_000,
      amountNanos: decimalToNanos(KILLBILL_BIG_AMOUNT)!,
    });
  }
  return { seed, accounts, bundles, subscriptions, records };
}

/**
 * Sum per unit type of the records with start <= recordDate < end (half-open: docs/upstreams/killbill.md#k4,
 * docs/upstreams/killbill.md#k8); units without records are omitted.
 */
export function rollUp(
  records: Iterable<UsageRecord>,
  subscriptionId: string,
  startMs: number,
  endMs: number,
): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const rec of records) {
    if (rec.subscriptionId !== subscriptionId || rec.recordMs < startMs || rec.recordMs >= endMs) continue;
    sums.set(rec.unitType, (sums.get(rec.unitType) ?? 0n) + rec.amountNanos);
  }
  return sums;
}

/** Nano-units → plain decimal, trailing zeros dropped: 1500000000n → "1.5". */
export function formatNanos(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const whole = abs / NANO;
  const frac = (abs % NANO).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * A decimal literal (optional exponent) → nano-units, rounded half away from zero at the ninth
 * decimal as MySQL does for a decimal(18,9) column (assumed; the column: docs/upstreams/killbill.md#recording-usage).
 * Null when it is not a number.
 */
export function decimalToNanos(literal: string): bigint | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal.trim());
  if (!m) return null;
  const [, sign, int, frac = '', exp = '0'] = m;
  let digits = `${int}${frac}`;
  let scale = frac.length - Number(exp); // value = digits × 10^-scale
  if (scale < 9) {
    digits += '0'.repeat(9 - scale);
    scale = 9;
  }
  const cut = scale - 9;
  let value = BigInt(digits.slice(0, digits.length - cut) || '0');
  if (cut > 0 && Number(digits[digits.length - cut] ?? '0') >= 5) value += 1n;
  return sign === '-' ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// What Kill Bill derives from the world above when asked (docs/upstreams/killbill.md#sim-9):
// balances, the catalog's phase prices, the entitlement/billing events and the audit trail.
// All derived by hashing ids, never by drawing from the seeded stream, so the seeded accounts,
// subscriptions and records stay exactly as the tests pin them.
// ---------------------------------------------------------------------------------------------

/** A version-4-shaped UUID derived from a key (the same key always gives the same id). */
export function derivedUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const hashInt = (key: string, modulo: number) =>
  Number(BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 12)}`) % BigInt(modulo));

/**
 * The invoice balance and the credit (CBA) `accountWithBalance` / `accountWithBalanceAndCBA` report,
 * as exact decimal strings in the account's currency. There are no invoices in the simulator, so
 * the figures are derived (assumed), with up to four decimals like Kill Bill's rounded amounts.
 */
export function accountBalances(account: KillbillAccount): { accountBalance: string; accountCBA: string } {
  const balance = hashInt(`${account.accountId}|balance`, 50_000_000); // up to 4999.9999
  const cba = hashInt(`${account.accountId}|cba`, 4) === 0 ? 0 : hashInt(`${account.accountId}|cba-amount`, 1_000_000);
  return { accountBalance: formatScaled(balance, 4), accountCBA: formatScaled(cba, 4) };
}

const formatScaled = (value: number, decimals: number) => formatNanos(BigInt(value) * 10n ** BigInt(9 - decimals));

/** The catalog version every subscription was created under (assumed). */
export const KILLBILL_CATALOG_EFFECTIVE_DATE = '2026-01-01T00:00:00.000Z';

/**
 * The simulator's catalog (assumed: Kill Bill reads it from the tenant's XML catalog): the
 * recurring price of each product per billing period and the per-unit usage prices, exact decimals.
 */
const CATALOG: Readonly<
  Record<string, { recurring: Readonly<Record<string, string>>; usage: Readonly<Record<string, string>> }>
> = {
  Api: {
    recurring: { MONTHLY: '49.95', ANNUAL: '499.5' },
    usage: { 'api-calls': '0.0004', 'storage-gb-day': '0.023', [KILLBILL_BIG_UNIT]: '0.09' },
  },
  Compute: {
    recurring: { MONTHLY: '199', ANNUAL: '1990' },
    usage: { 'cpu-hours': '0.048', 'gpu-hours': '2.21', 'memory-gb-hours': '0.0052' },
  },
  Analytics: { recurring: { MONTHLY: '19.99' }, usage: { events: '0.000002', queries: '0.005' } },
  Support: { recurring: { MONTHLY: '99' }, usage: {} },
};

export interface KillbillBlockPrice {
  unitName: string;
  size: string;
  price: string;
  /** -1: no upper bound, as Kill Bill's catalog writes it. */
  max: string;
}
export interface KillbillUsagePrice {
  usageName: string;
  usageType: 'CAPACITY' | 'CONSUMABLE';
  billingMode: 'IN_ADVANCE' | 'IN_ARREAR';
  tierBlockPolicy: 'ALL_TIERS' | 'TOP_TIER';
  tierPrices: { blockPrices: KillbillBlockPrice[] }[];
}
export interface KillbillPhasePrice {
  planName: string;
  phaseName: string;
  phaseType: string;
  fixedPrice: string | null;
  recurringPrice: string | null;
  usagePrices: KillbillUsagePrice[];
}

/** `Subscription.prices`: one entry per phase of the plan (the seeded plans have one EVERGREEN phase). */
export function phasePrices(s: KillbillSubscription): KillbillPhasePrice[] {
  const product = CATALOG[s.productName];
  return [
    {
      planName: s.planName,
      phaseName: `${s.planName}-${s.phaseType.toLowerCase()}`,
      phaseType: s.phaseType,
      fixedPrice: null,
      recurringPrice: product?.recurring[s.billingPeriod] ?? null,
      usagePrices: s.unitTypes.map((unit) => ({
        usageName: `${s.planName}-usage-${unit}`,
        usageType: 'CONSUMABLE',
        billingMode: 'IN_ARREAR',
        tierBlockPolicy: 'ALL_TIERS',
        tierPrices: [{ blockPrices: [{ unitName: unit, size: '1', price: product?.usage[unit] ?? '0', max: '-1' }] }],
      })),
    },
  ];
}

export type KillbillEventType = 'START_ENTITLEMENT' | 'START_BILLING' | 'STOP_ENTITLEMENT' | 'STOP_BILLING';
export interface KillbillSubscriptionEvent {
  eventId: string;
  subscriptionId: string;
  eventType: KillbillEventType;
  /** Epoch milliseconds. */
  effectiveMs: number;
  serviceName: string;
  serviceStateName: string;
  isBlockedBilling: boolean;
  isBlockedEntitlement: boolean;
  /** The audit trail's object type: entitlement events are blocking states, billing events subscription events. */
  objectType: 'BLOCKING_STATES' | 'SUBSCRIPTION_EVENT';
}

/**
 * A subscription's timeline as Kill Bill's entitlement API reports it: the start of the
 * entitlement and of billing, and for a cancelled subscription their stops (no trial phase, so
 * no PHASE event). Service and state names are Kill Bill's (docs/upstreams/killbill.md#sim-9).
 */
export function subscriptionEvents(s: KillbillSubscription): KillbillSubscriptionEvent[] {
  const event = (
    eventType: KillbillEventType,
    effectiveMs: number,
    serviceName: string,
    serviceStateName: string,
    isBlockedEntitlement = false,
  ): KillbillSubscriptionEvent => ({
    eventId: derivedUuid(`${s.subscriptionId}|${eventType}`),
    subscriptionId: s.subscriptionId,
    eventType,
    effectiveMs,
    serviceName,
    serviceStateName,
    isBlockedBilling: false,
    isBlockedEntitlement,
    objectType: serviceName === 'entitlement-service' ? 'BLOCKING_STATES' : 'SUBSCRIPTION_EVENT',
  });
  const events = [
    event('START_ENTITLEMENT', s.startMs, 'entitlement-service', 'ENT_STARTED'),
    event('START_BILLING', s.startMs, 'billing-service', 'START_BILLING'),
  ];
  if (s.billingEndMs !== null) {
    events.push(
      event('STOP_ENTITLEMENT', s.billingEndMs, 'entitlement-service', 'ENT_CANCELLED', true),
      event('STOP_BILLING', s.billingEndMs, 'billing-service', 'STOP_BILLING'),
    );
  }
  return events;
}

export type KillbillAuditLevel = 'NONE' | 'MINIMAL' | 'FULL';
export type KillbillAuditObjectType = 'ACCOUNT' | 'BUNDLE' | 'SUBSCRIPTION' | 'SUBSCRIPTION_EVENT' | 'BLOCKING_STATES';
export interface KillbillAuditEntry {
  changeType: 'INSERT' | 'UPDATE';
  /** Epoch milliseconds. */
  changeMs: number;
  objectType: KillbillAuditObjectType;
  objectId: string;
  changedBy: string;
  userToken: string;
}

/** Who created the seeded world (Kill Bill's default user, docs/upstreams/killbill.md#k13). */
export const KILLBILL_SEED_CREATED_BY = 'admin';

/**
 * The audit trail of one object at a level: MINIMAL keeps only the INSERT, FULL every change
 * (Kill Bill's AuditLevel). The seeded history (assumed): each object was inserted when its
 * bundle or account started; an account was updated one day later; a cancelled subscription was
 * updated when it was cancelled.
 */
export function auditTrail(
  data: KillbillData,
  objectType: KillbillAuditObjectType,
  objectId: string,
  level: KillbillAuditLevel,
): KillbillAuditEntry[] {
  if (level === 'NONE') return [];
  const entry = (changeType: 'INSERT' | 'UPDATE', changeMs: number): KillbillAuditEntry => ({
    changeType,
    changeMs,
    objectType,
    objectId,
    changedBy: KILLBILL_SEED_CREATED_BY,
    // One request (one user token) per change.
    userToken: derivedUuid(`${objectId}|${changeType}|${changeMs}`),
  });
  const bundleCreatedMs = (bundleId: string) =>
    Math.min(...data.subscriptions.filter((s) => s.bundleId === bundleId).map((s) => s.startMs));
  const entries: KillbillAuditEntry[] = [];
  switch (objectType) {
    case 'ACCOUNT': {
      const a = data.accounts.find((x) => x.accountId === objectId);
      if (a)
        entries.push(
          entry('INSERT', Date.parse(a.referenceTime)),
          entry('UPDATE', Date.parse(a.referenceTime) + DAY_MS),
        );
      break;
    }
    case 'BUNDLE':
      if (data.bundles.some((b) => b.bundleId === objectId)) entries.push(entry('INSERT', bundleCreatedMs(objectId)));
      break;
    case 'SUBSCRIPTION': {
      const s = data.subscriptions.find((x) => x.subscriptionId === objectId);
      if (s) {
        entries.push(entry('INSERT', bundleCreatedMs(s.bundleId)));
        if (s.billingEndMs !== null) entries.push(entry('UPDATE', s.billingEndMs));
      }
      break;
    }
    default: {
      // An event's row is inserted when the event is created: at the bundle's creation for the
      // starts, at the cancellation for the stops.
      for (const s of data.subscriptions) {
        const e = subscriptionEvents(s).find((x) => x.eventId === objectId);
        if (e)
          entries.push(entry('INSERT', e.eventType.startsWith('STOP') ? e.effectiveMs : bundleCreatedMs(s.bundleId)));
      }
    }
  }
  return level === 'FULL' ? entries : entries.filter((e) => e.changeType === 'INSERT');
}
