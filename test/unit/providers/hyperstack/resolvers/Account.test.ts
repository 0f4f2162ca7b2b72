import { describe, expect, it } from 'vitest';
import type { AccountModel } from '../../../../../src/models.js';
import { HyperstackApi } from '../../../../../src/providers/hyperstack/api.js';
import { Account } from '../../../../../src/providers/hyperstack/resolvers/Account.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

/**
 * Arguments without the fields the schema gives a default: GraphQL always passes those, so the
 * resolver's own fallback is reached only by a caller like this one.
 */
const NO_DEFAULTS = (args: object) => args as never;

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

/** A Hyperstack source "hs" over a fake HyperstackApi, and an OpenvCloud source "g8". */
function setup() {
  const { api, calls } = apiAs(HyperstackApi, {
    billingThresholds: async () => ['threshold'],
    lastDayCost: async () => 'last day',
    usage: async () => ['usage'],
    billingHistory: async () => 'history',
    billingSummaries: async () => ['summary'],
  });
  const { ctx, source } = contextOf([
    { id: 'hs', provider: 'HYPERSTACK', api },
    { id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() },
  ]);
  const account = (id: string): AccountModel => ({
    __typename: 'Account',
    id: `account-${id}`,
    source: source(id),
    providerId: '42',
    name: null,
  });
  return { ctx, calls, hs: account('hs'), g8: account('g8') };
}

describe('Account (Hyperstack fields)', () => {
  it('answers each field from the Hyperstack API of the account’s source', async () => {
    const { ctx, calls, hs } = setup();
    expect(await resolverFn(Account.billingThresholds)(hs, {}, ctx)).toEqual(['threshold']);
    expect(await resolverFn(Account.hyperstackLastDayCost)(hs, {}, ctx)).toBe('last day');
    expect(await resolverFn(Account.hyperstackUsage)(hs, NO_DEFAULTS({}), ctx)).toEqual(['usage']);
    expect(await resolverFn(Account.hyperstackBillingHistory)(hs, NO_DEFAULTS({ window: OCTOBER }), ctx)).toBe(
      'history',
    );
    expect(await resolverFn(Account.hyperstackBillingSummaries)(hs, { window: OCTOBER }, ctx)).toEqual(['summary']);
    expect(calls.map(([name]) => name)).toEqual([
      'billingThresholds',
      'lastDayCost',
      'usage',
      'billingHistory',
      'billingSummaries',
    ]);
  });

  it('passes the defaults: usage of live resources in every environment, history without graph, every type', async () => {
    const { ctx, calls, hs } = setup();
    expect(await resolverFn(Account.hyperstackUsage)(hs, NO_DEFAULTS({}), ctx)).toEqual(['usage']);
    expect(await resolverFn(Account.hyperstackBillingHistory)(hs, NO_DEFAULTS({ window: OCTOBER }), ctx)).toEqual(
      'history',
    );
    expect(await resolverFn(Account.hyperstackBillingSummaries)(hs, { window: OCTOBER }, ctx)).toEqual(['summary']);
    expect(calls[0]).toEqual(['usage', hs, false, null]);
    expect(calls[1]).toEqual(['billingHistory', ctx.window(OCTOBER), false]);
    expect(calls[2]).toEqual(['billingSummaries', ctx.window(OCTOBER), null]);
  });

  it('passes the given arguments, the window validated', async () => {
    const { ctx, calls, hs } = setup();
    expect(await resolverFn(Account.hyperstackUsage)(hs, { deleted: true, environment: 'prod' }, ctx)).toEqual([
      'usage',
    ]);
    expect(await resolverFn(Account.hyperstackBillingHistory)(hs, { window: OCTOBER, withGraph: true }, ctx)).toEqual(
      'history',
    );
    expect(
      await resolverFn(Account.hyperstackBillingSummaries)(hs, { window: OCTOBER, types: ['VOLUME'] }, ctx),
    ).toEqual(['summary']);
    expect(calls).toEqual([
      ['usage', hs, true, 'prod'],
      ['billingHistory', expect.objectContaining({ start: '2026-10-01T00:00:00Z', timeZone: 'UTC' }), true],
      ['billingSummaries', expect.objectContaining({ end: '2026-11-01T00:00:00Z' }), ['VOLUME']],
    ]);
  });

  it('is empty or null for another provider’s account', async () => {
    const { ctx, calls, g8 } = setup();
    expect(await resolverFn(Account.billingThresholds)(g8, {}, ctx)).toEqual([]);
    expect(await resolverFn(Account.hyperstackLastDayCost)(g8, {}, ctx)).toBeNull();
    expect(await resolverFn(Account.hyperstackUsage)(g8, NO_DEFAULTS({}), ctx)).toBeNull();
    expect(await resolverFn(Account.hyperstackBillingHistory)(g8, NO_DEFAULTS({ window: OCTOBER }), ctx)).toBeNull();
    expect(await resolverFn(Account.hyperstackBillingSummaries)(g8, { window: OCTOBER }, ctx)).toBeNull();
    expect(calls).toEqual([]);
  });
});
