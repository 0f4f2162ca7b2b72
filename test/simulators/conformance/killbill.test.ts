// Conformance: Kill Bill's official JavaScript client (`killbill` 0.24.0, generated from Kill Bill's
// Swagger) against the Kill Bill simulator. Every call billgraph makes (accounts pagination,
// account, bundles, subscription, usage read and record), the other reads the client offers on
// the same objects (by external key, a bundle by id, the per-unit usage form) and their options
// (balances, audit levels, bundle filters), each checked for its status code and, field by field,
// against the client's model (./killbillModels.ts), then against the simulator's seeded world.

import { AccountApi, apiKey, BundleApi, Configuration, SubscriptionApi, UsageApi } from 'killbill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountBalances,
  auditTrail,
  phasePrices,
  subscriptionEvents,
  type KillbillSubscription,
} from '../../../simulators/killbill/seed.js';
import {
  KILLBILL_SIM_CREDENTIALS,
  startKillbillSimulator,
  type KillbillSimulator,
} from '../../../simulators/killbill/simulator.js';
import { modelFields, modelProblems, type ModelName } from './killbillModels.js';

/** The parts of an axios response these tests read (axios is the client's dependency, not ours). */
interface Answer {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}
type Rec = Record<string, unknown>;

/** Let every status through, so a 404 is checked like a 200 instead of being thrown. */
const ANY_STATUS = { validateStatus: () => true };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const EXPECTED_CALLS = 27;

describe('Kill Bill’s official JavaScript client against the Kill Bill simulator', () => {
  let sim: KillbillSimulator;
  let accounts: AccountApi;
  let bundles: BundleApi;
  let subscriptions: SubscriptionApi;
  let usage: UsageApi;
  /** Names of the client calls answered with the expected status and a body matching the model. */
  const conforming: string[] = [];

  beforeAll(async () => {
    // With the two 333333333.333333333 records (docs/upstreams/killbill.md#switches), read below through the client.
    sim = await startKillbillSimulator({ extensions: { beyondDoublePrecision: true } });
    const config = new Configuration({
      username: KILLBILL_SIM_CREDENTIALS.username,
      password: KILLBILL_SIM_CREDENTIALS.password,
      apiKey: apiKey(KILLBILL_SIM_CREDENTIALS.apiKey, KILLBILL_SIM_CREDENTIALS.apiSecret),
      basePath: sim.url,
    });
    accounts = new AccountApi(config);
    bundles = new BundleApi(config);
    subscriptions = new SubscriptionApi(config);
    usage = new UsageApi(config);
  });
  afterAll(async () => sim?.close());

  /**
   * One client call: its status, then its body against the model (each element for a list,
   * `BillingException` for an error); counted once it passed. Returns the body.
   */
  async function call<T = Rec>(
    name: string,
    run: () => Promise<Answer>,
    status: number,
    model: ModelName | `${ModelName}[]` | null,
  ): Promise<{ body: T; headers: Record<string, unknown> }> {
    const res = await run();
    expect(res.status, name).toBe(status);
    if (model?.endsWith('[]')) {
      expect(Array.isArray(res.data), `${name} answers a list`).toBe(true);
      const items = res.data as unknown[];
      expect(items.flatMap((item, i) => modelProblems(item, model.slice(0, -2) as ModelName, `${name}[${i}]`))).toEqual(
        [],
      );
    } else if (model) {
      expect(modelProblems(res.data, model as ModelName, name)).toEqual([]);
    } else {
      expect(res.data, `${name} has no body`).toBe('');
    }
    expect(conforming, `${name} is made once`).not.toContain(name);
    conforming.push(name);
    return { body: res.data as T, headers: res.headers };
  }

  const acme = () => sim.data.accounts[0]!;
  const umbrella = () => sim.data.accounts[3]!;
  const bundlesOf = (accountId: string) => sim.data.bundles.filter((b) => b.accountId === accountId);
  const subsOf = (bundleId: string) => sim.data.subscriptions.filter((s) => s.bundleId === bundleId);
  const cancelled = () => sim.data.subscriptions.find((s) => s.state === 'CANCELLED')!;
  const eventTypes = (s: Rec) => (s.events as Rec[]).map((e) => e.eventType);
  const expectPrices = (got: Rec, s: KillbillSubscription) => {
    const [phase] = phasePrices(s);
    const [price] = got.prices as Rec[];
    expect(price?.phaseName).toBe(phase!.phaseName);
    expect(price?.recurringPrice).toBe(Number(phase!.recurringPrice));
    const units = (price?.usagePrices as Rec[]).map((u) => (u.tierPrices as Rec[])[0]!.blockPrices as Rec[]);
    expect(units.map((b) => b[0]!.unitName)).toEqual(s.unitTypes);
  };

  it('lists accounts page by page with Kill Bill’s pagination headers', async () => {
    const all = await call<Rec[]>(
      'getAccounts',
      () => accounts.getAccounts(0, 100, undefined, undefined, undefined, ANY_STATUS),
      200,
      'Account[]',
    );
    expect(all.body.map((a) => a.accountId)).toEqual(sim.data.accounts.map((a) => a.accountId));
    expect(all.headers['x-killbill-pagination-totalnbrecords']).toBe(String(sim.data.accounts.length));
    expect(all.headers['x-killbill-pagination-nextoffset']).toBeUndefined();

    const first = await call<Rec[]>(
      'getAccounts(limit=3)',
      () => accounts.getAccounts(0, 3, undefined, undefined, undefined, ANY_STATUS),
      200,
      'Account[]',
    );
    expect(first.body).toHaveLength(3);
    expect(first.headers['x-killbill-pagination-nextoffset']).toBe('3');

    const last = await call<Rec[]>(
      'getAccounts(offset=3)',
      () => accounts.getAccounts(3, 3, undefined, undefined, undefined, ANY_STATUS),
      200,
      'Account[]',
    );
    expect(last.body.map((a) => a.accountId)).toEqual([umbrella().accountId]);
    expect(last.headers['x-killbill-pagination-nextoffset']).toBeUndefined();
  });

  it('lists accounts with balance, credit and the MINIMAL audit trail (the INSERT only)', async () => {
    const { body } = await call<Rec[]>(
      'getAccounts(accountWithBalanceAndCBA, audit=MINIMAL)',
      () => accounts.getAccounts(0, 100, true, true, 'MINIMAL', ANY_STATUS),
      200,
      'Account[]',
    );
    body.forEach((got, i) => {
      const a = sim.data.accounts[i]!;
      expect(got.accountBalance).toBe(Number(accountBalances(a).accountBalance));
      expect(got.accountCBA).toBe(Number(accountBalances(a).accountCBA));
      expect((got.auditLogs as Rec[]).map((l) => [l.changeType, l.objectType, l.objectId])).toEqual([
        ['INSERT', 'ACCOUNT', a.accountId],
      ]);
    });
  });

  it('reads an account by id, with the balance, with balance and credit, and with the FULL audit trail', async () => {
    const a = acme();
    const plain = await call<Rec>(
      'getAccount',
      () => accounts.getAccount(a.accountId, undefined, undefined, undefined, ANY_STATUS),
      200,
      'Account',
    );
    expect(plain.body).toMatchObject({
      accountId: a.accountId,
      name: a.name,
      externalKey: a.externalKey,
      currency: a.currency,
      timeZone: a.timeZone,
      referenceTime: a.referenceTime,
      accountBalance: null,
      accountCBA: null,
      auditLogs: [],
    });

    const balance = await call<Rec>(
      'getAccount(accountWithBalance)',
      () => accounts.getAccount(a.accountId, true, undefined, undefined, ANY_STATUS),
      200,
      'Account',
    );
    expect(balance.body.accountBalance).toBe(Number(accountBalances(a).accountBalance));
    // Kill Bill computes the credit only for accountWithBalanceAndCBA.
    expect(balance.body.accountCBA).toBeNull();

    const cba = await call<Rec>(
      'getAccount(accountWithBalanceAndCBA)',
      () => accounts.getAccount(a.accountId, false, true, undefined, ANY_STATUS),
      200,
      'Account',
    );
    expect(cba.body.accountBalance).toBe(Number(accountBalances(a).accountBalance));
    expect(cba.body.accountCBA).toBe(Number(accountBalances(a).accountCBA));

    const full = await call<Rec>(
      'getAccount(audit=FULL)',
      () => accounts.getAccount(a.accountId, false, false, 'FULL', ANY_STATUS),
      200,
      'Account',
    );
    const trail = auditTrail(sim.data, 'ACCOUNT', a.accountId, 'FULL');
    expect(trail.map((e) => e.changeType)).toEqual(['INSERT', 'UPDATE']);
    expect((full.body.auditLogs as Rec[]).map((l) => [l.changeType, l.changeDate, l.objectId, l.changedBy])).toEqual(
      trail.map((e) => [e.changeType, new Date(e.changeMs).toISOString(), a.accountId, 'admin']),
    );
  });

  it('answers an unknown account id with 404 and AccountApiException code 3002', async () => {
    const { body } = await call<Rec>(
      'getAccount(unknown)',
      () => accounts.getAccount(UNKNOWN_ID, undefined, undefined, undefined, ANY_STATUS),
      404,
      'BillingException',
    );
    expect(body).toMatchObject({ className: 'org.killbill.billing.account.api.AccountApiException', code: 3002 });
  });

  it('reads an account by external key, the same account as by id, and 404 code 3003 for an unknown key', async () => {
    const byId = (await accounts.getAccount(acme().accountId)).data;
    const byKey = await call(
      'getAccountByKey',
      () => accounts.getAccountByKey(acme().externalKey, undefined, undefined, undefined, ANY_STATUS),
      200,
      'Account',
    );
    expect(byKey.body).toEqual(byId);

    const u = umbrella();
    const full = await call<Rec>(
      'getAccountByKey(accountWithBalanceAndCBA, audit=FULL)',
      () => accounts.getAccountByKey(u.externalKey, true, true, 'FULL', ANY_STATUS),
      200,
      'Account',
    );
    expect(full.body.accountId).toBe(u.accountId);
    expect(full.body.accountCBA).toBe(Number(accountBalances(u).accountCBA));
    expect(full.body.auditLogs).toHaveLength(2);

    const missing = await call<Rec>(
      'getAccountByKey(unknown)',
      () => accounts.getAccountByKey('no-such-account', undefined, undefined, undefined, ANY_STATUS),
      404,
      'BillingException',
    );
    expect(missing.body).toMatchObject({ code: 3003, message: 'Account does not exist for key no-such-account' });
  });

  it('lists an account’s bundles with their subscriptions, events, catalog prices and timeline', async () => {
    const a = acme();
    const { body } = await call<Rec[]>(
      'getAccountBundles',
      () => accounts.getAccountBundles(a.accountId, undefined, undefined, undefined, ANY_STATUS),
      200,
      'Bundle[]',
    );
    expect(body.map((b) => b.bundleId)).toEqual(bundlesOf(a.accountId).map((b) => b.bundleId));
    for (const got of body) {
      const subs = subsOf(got.bundleId as string);
      const gotSubs = got.subscriptions as Rec[];
      expect(gotSubs.map((s) => s.subscriptionId)).toEqual(subs.map((s) => s.subscriptionId));
      gotSubs.forEach((s, i) => {
        expect(eventTypes(s)).toEqual(subscriptionEvents(subs[i]!).map((e) => e.eventType));
        expectPrices(s, subs[i]!);
      });
      const timeline = got.timeline as Rec;
      expect(timeline).toMatchObject({ bundleId: got.bundleId, externalKey: got.externalKey, auditLogs: [] });
      expect((timeline.events as Rec[]).map((e) => e.eventId).sort()).toEqual(
        subs.flatMap((s) => subscriptionEvents(s).map((e) => e.eventId)).sort(),
      );
      expect(got.auditLogs).toEqual([]);
    }
  });

  it('narrows an account’s bundles by external key and by a bundlesFilter of ids', async () => {
    const a = acme();
    const [main, extra] = bundlesOf(a.accountId);
    const byKey = await call<Rec[]>(
      'getAccountBundles(externalKey)',
      () => accounts.getAccountBundles(a.accountId, extra!.externalKey, undefined, undefined, ANY_STATUS),
      200,
      'Bundle[]',
    );
    expect(byKey.body.map((b) => b.bundleId)).toEqual([extra!.bundleId]);

    // A filter id of another account's bundle selects nothing.
    const foreign = bundlesOf(umbrella().accountId)[0]!.bundleId;
    const filtered = await call<Rec[]>(
      'getAccountBundles(bundlesFilter)',
      () => accounts.getAccountBundles(a.accountId, undefined, `${main!.bundleId},${foreign}`, undefined, ANY_STATUS),
      200,
      'Bundle[]',
    );
    expect(filtered.body.map((b) => b.bundleId)).toEqual([main!.bundleId]);
  });

  it('lists bundles with the FULL audit trail on bundles, subscriptions and events, a cancellation included', async () => {
    const u = umbrella();
    const { body } = await call<Rec[]>(
      'getAccountBundles(audit=FULL)',
      () => accounts.getAccountBundles(u.accountId, undefined, undefined, 'FULL', ANY_STATUS),
      200,
      'Bundle[]',
    );
    const c = cancelled();
    const bundle = body.find((b) => b.bundleId === c.bundleId)!;
    expect((bundle.auditLogs as Rec[]).map((l) => [l.changeType, l.objectType])).toEqual([['INSERT', 'BUNDLE']]);
    const sub = (bundle.subscriptions as Rec[]).find((s) => s.subscriptionId === c.subscriptionId)!;
    expect((sub.auditLogs as Rec[]).map((l) => l.changeType)).toEqual(['INSERT', 'UPDATE']);
    expect(eventTypes(sub)).toEqual(['START_ENTITLEMENT', 'START_BILLING', 'STOP_ENTITLEMENT', 'STOP_BILLING']);
    for (const e of sub.events as Rec[])
      expect((e.auditLogs as Rec[]).map((l) => [l.objectType, l.objectId])).toEqual([
        [String(e.serviceName).startsWith('entitlement') ? 'BLOCKING_STATES' : 'SUBSCRIPTION_EVENT', e.eventId],
      ]);
    const timelineTypes = ((bundle.timeline as Rec).events as Rec[]).map((e) => e.eventType);
    expect(timelineTypes.slice(-2)).toEqual(['STOP_ENTITLEMENT', 'STOP_BILLING']);
  });

  it('answers the bundles of an unknown account with 404 code 3002', async () => {
    const { body } = await call<Rec>(
      'getAccountBundles(unknown)',
      () => accounts.getAccountBundles(UNKNOWN_ID, undefined, undefined, undefined, ANY_STATUS),
      404,
      'BillingException',
    );
    expect(body.code).toBe(3002);
  });

  it('reads a bundle by id as the account listing shows it, with audit logs on FULL, and 404 for an unknown id', async () => {
    const b = bundlesOf(acme().accountId)[0]!;
    const listed = (await accounts.getAccountBundles(b.accountId)).data.find((x) => x.bundleId === b.bundleId);
    const plain = await call('getBundle', () => bundles.getBundle(b.bundleId, undefined, ANY_STATUS), 200, 'Bundle');
    expect(plain.body).toEqual(listed);

    const full = await call<Rec>(
      'getBundle(audit=FULL)',
      () => bundles.getBundle(b.bundleId, 'FULL', ANY_STATUS),
      200,
      'Bundle',
    );
    expect((full.body.auditLogs as Rec[]).map((l) => [l.objectType, l.objectId])).toEqual([['BUNDLE', b.bundleId]]);

    const missing = await call<Rec>(
      'getBundle(unknown)',
      () => bundles.getBundle(UNKNOWN_ID, undefined, ANY_STATUS),
      404,
      'BillingException',
    );
    expect(missing.body.message).toContain(UNKNOWN_ID);
  });

  it('reads a subscription with its events and prices, a cancelled one with its stops, and 404 for an unknown id', async () => {
    const s = sim.data.subscriptions[0]!;
    const plain = await call<Rec>(
      'getSubscription',
      () => subscriptions.getSubscription(s.subscriptionId, undefined, ANY_STATUS),
      200,
      'Subscription',
    );
    expect(plain.body).toMatchObject({
      subscriptionId: s.subscriptionId,
      planName: s.planName,
      state: 'ACTIVE',
      auditLogs: [],
    });
    expect(eventTypes(plain.body)).toEqual(['START_ENTITLEMENT', 'START_BILLING']);
    expectPrices(plain.body, s);

    const c = cancelled();
    const full = await call<Rec>(
      'getSubscription(cancelled, audit=FULL)',
      () => subscriptions.getSubscription(c.subscriptionId, 'FULL', ANY_STATUS),
      200,
      'Subscription',
    );
    expect(full.body).toMatchObject({ state: 'CANCELLED', billingEndDate: new Date(c.billingEndMs!).toISOString() });
    const stop = (full.body.events as Rec[]).find((e) => e.eventType === 'STOP_BILLING')!;
    expect(stop.effectiveDate).toBe(full.body.billingEndDate);
    expect((full.body.auditLogs as Rec[]).map((l) => l.changeType)).toEqual(['INSERT', 'UPDATE']);

    const missing = await call<Rec>(
      'getSubscription(unknown)',
      () => subscriptions.getSubscription(UNKNOWN_ID, undefined, ANY_STATUS),
      404,
      'BillingException',
    );
    expect(missing.body.className).toMatch(/ObjectDoesNotExist$/);
  });

  it('reads rolled-up usage for all unit types and for one, amounts as the records sum them', async () => {
    const s = sim.data.subscriptions[0]!;
    const all = await call<Rec>(
      'getAllUsage',
      () => usage.getAllUsage(s.subscriptionId, '2026-10-01', '2026-11-01', undefined, ANY_STATUS),
      200,
      'RolledUpUsage',
    );
    expect(all.body).toMatchObject({
      subscriptionId: s.subscriptionId,
      startDate: '2026-10-01T00:00:00.000Z',
      endDate: '2026-11-01T00:00:00.000Z',
    });
    const expected = sim.expectedUsage(s.subscriptionId, '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z');
    const got = Object.fromEntries((all.body.rolledUpUnits as Rec[]).map((u) => [u.unitType, u.amount]));
    expect(got).toEqual(Object.fromEntries(Object.entries(expected).map(([u, a]) => [u, Number(a)])));

    // The day of the two 333333333.333333333 records (docs/upstreams/killbill.md#k8).
    const one = await call<Rec>(
      'getUsage(unitType)',
      () => usage.getUsage(s.subscriptionId, 'egress-gb', '2026-10-14', '2026-10-15', undefined, ANY_STATUS),
      200,
      'RolledUpUsage',
    );
    const day = sim.expectedUsage(s.subscriptionId, '2026-10-14T00:00:00Z', '2026-10-15T00:00:00Z');
    expect(one.body.rolledUpUnits).toEqual([{ unitType: 'egress-gb', amount: Number(day['egress-gb']) }]);
  });

  it('records usage (201, no body) and refuses the same trackingId again with 400 code 50000', async () => {
    const s = sim.data.subscriptions[0]!;
    const record = {
      subscriptionId: s.subscriptionId,
      trackingId: 'conformance-2026-11-20',
      unitUsageRecords: [
        { unitType: 'api-calls', usageRecords: [{ recordDate: '2026-11-20T00:00:00Z', amount: 1200 }] },
      ],
    };
    await call(
      'recordUsage',
      () => usage.recordUsage(record, 'conformance', 'checking', 'the official client', ANY_STATUS),
      201,
      null,
    );
    expect(sim.recordsWith(s.subscriptionId, record.trackingId)).toMatchObject([
      {
        unitType: 'api-calls',
        amountLiteral: '1200',
        createdBy: 'conformance',
        reason: 'checking',
        comment: 'the official client',
      },
    ]);

    const again = await call<Rec>(
      'recordUsage(duplicate trackingId)',
      () => usage.recordUsage(record, 'conformance', undefined, undefined, ANY_STATUS),
      400,
      'BillingException',
    );
    expect(again.body).toMatchObject({ className: 'org.killbill.billing.usage.api.UsageApiException', code: 50000 });
    expect(sim.recordsWith(s.subscriptionId, record.trackingId)).toHaveLength(1);
  });

  it(`made ${EXPECTED_CALLS} client calls, each answered by the simulator as the model says`, () => {
    expect(conforming).toHaveLength(EXPECTED_CALLS);
    // The client calls plus the two reads above that fetch a reference answer to compare with.
    expect(sim.count()).toBe(EXPECTED_CALLS + 2);
  });

  it('flags drift: a missing field, a wrong type, a bad format, a null where Kill Bill writes none, an undeclared field', () => {
    const a = sim.data.accounts[0]!;
    const good: Rec = { ...Object.fromEntries(modelFields('Account').map((k) => [k, null])), accountId: a.accountId };
    const { email: _, ...withoutEmail } = good;
    const drifted = { ...withoutEmail, accountBalance: '12.5', referenceTime: '2026-01-05', name: null, balance: 1 };
    const problems = modelProblems(drifted, 'Account');
    expect(problems).toEqual(
      expect.arrayContaining([
        'Account.email: missing',
        'Account.accountBalance: expected a number, got "12.5"',
        'Account.referenceTime: expected a UTC date-time with milliseconds, got "2026-01-05"',
        'Account.name: null',
        'Account.balance: not in the model',
      ]),
    );
    const badTimeline = {
      accountId: a.accountId,
      bundleId: a.accountId,
      externalKey: 'k',
      subscriptions: [],
      timeline: null,
      auditLogs: [],
    };
    expect(modelProblems(badTimeline, 'Bundle')).toEqual(['Bundle.timeline: null']);
  });
});
