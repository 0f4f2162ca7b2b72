// Kill Bill's JSON DTOs (AccountJson, BundleJson, BundleTimelineJson, SubscriptionJson,
// EventSubscriptionJson, PhasePriceJson, AuditLogJson) rendered from the simulator's world, in the
// shapes of the 0.24 Swagger the official clients are generated from (docs/upstreams/killbill.md#k1).
// Jackson writes every property, null ones included, so every field is always present.
//
// Money (balances, prices) is held as decimal strings and written as JSON number literals through
// LosslessNumber, so no amount passes through a float.

import { LosslessNumber, stringify } from 'lossless-json';
import {
  accountBalances,
  auditTrail,
  KILLBILL_CATALOG_EFFECTIVE_DATE,
  phasePrices,
  subscriptionEvents,
  type KillbillAccount,
  type KillbillAuditLevel,
  type KillbillAuditObjectType,
  type KillbillBundle,
  type KillbillData,
  type KillbillSubscription,
} from './seed.js';

/** Joda's rendering of a UTC DateTime: always milliseconds, `Z`. */
export const renderInstant = (ms: number) => new Date(ms).toISOString();

const money = (decimal: string | null) => (decimal === null ? null : new LosslessNumber(decimal));

/** A JSON text with LosslessNumber values written as their literals. */
export const killbillJsonText = (value: unknown): string => stringify(value) ?? 'null';

export interface AccountOptions {
  withBalance: boolean;
  withBalanceAndCBA: boolean;
  audit: KillbillAuditLevel;
}

/** The DTO renderers over one world. */
export function killbillJson(data: KillbillData) {
  const accountsById = new Map(data.accounts.map((a) => [a.accountId, a]));

  const auditLogs = (objectType: KillbillAuditObjectType, objectId: string, level: KillbillAuditLevel) =>
    auditTrail(data, objectType, objectId, level).map((e) => ({
      changeType: e.changeType,
      changeDate: renderInstant(e.changeMs),
      objectType: e.objectType,
      objectId: e.objectId,
      changedBy: e.changedBy,
      reasonCode: null,
      comments: null,
      userToken: e.userToken,
      // Only the auditLogsWithHistory endpoints fill the entity's history (assumed for ?audit=).
      history: null,
    }));

  const eventsOf = (s: KillbillSubscription, level: KillbillAuditLevel) =>
    subscriptionEvents(s).map((e) => ({
      eventId: e.eventId,
      billingPeriod: s.billingPeriod,
      effectiveDate: renderInstant(e.effectiveMs),
      catalogEffectiveDate: KILLBILL_CATALOG_EFFECTIVE_DATE,
      plan: s.planName,
      product: s.productName,
      priceList: s.priceList,
      eventType: e.eventType,
      isBlockedBilling: e.isBlockedBilling,
      isBlockedEntitlement: e.isBlockedEntitlement,
      serviceName: e.serviceName,
      serviceStateName: e.serviceStateName,
      phase: `${s.planName}-${s.phaseType.toLowerCase()}`,
      auditLogs: auditLogs(e.objectType, e.eventId, level),
      /** Not rendered: orders the bundle timeline. */
      effectiveMs: e.effectiveMs,
    }));
  const withoutSortKey = <T extends { effectiveMs: number }>({ effectiveMs: _, ...rest }: T) => rest;

  function account(a: KillbillAccount, opts: AccountOptions) {
    // AccountResource: the balance with either flag, the CBA only with accountWithBalanceAndCBA.
    const withBalance = opts.withBalance || opts.withBalanceAndCBA;
    const balances = withBalance ? accountBalances(a) : null;
    return {
      accountId: a.accountId,
      name: a.name,
      firstNameLength: a.name.indexOf(' ') === -1 ? a.name.length : a.name.indexOf(' '),
      externalKey: a.externalKey,
      email: a.email,
      billCycleDayLocal: a.billCycleDayLocal,
      currency: a.currency,
      parentAccountId: null,
      isPaymentDelegatedToParent: false,
      paymentMethodId: null,
      referenceTime: a.referenceTime,
      timeZone: a.timeZone,
      address1: null,
      address2: null,
      postalCode: null,
      company: a.company,
      city: null,
      state: null,
      country: null,
      locale: a.locale,
      phone: null,
      notes: null,
      isMigrated: false,
      accountBalance: balances ? money(balances.accountBalance) : null,
      accountCBA: balances && opts.withBalanceAndCBA ? money(balances.accountCBA) : null,
      auditLogs: auditLogs('ACCOUNT', a.accountId, opts.audit),
    };
  }

  function subscription(s: KillbillSubscription, level: KillbillAuditLevel) {
    return {
      accountId: s.accountId,
      bundleId: s.bundleId,
      bundleExternalKey: s.bundleExternalKey,
      subscriptionId: s.subscriptionId,
      externalKey: s.externalKey,
      startDate: renderInstant(s.startMs),
      productName: s.productName,
      productCategory: s.productCategory,
      billingPeriod: s.billingPeriod,
      phaseType: s.phaseType,
      priceList: s.priceList,
      planName: s.planName,
      state: s.state,
      sourceType: 'NATIVE',
      cancelledDate: s.billingEndMs === null ? null : renderInstant(s.billingEndMs),
      chargedThroughDate: s.state === 'ACTIVE' ? '2026-12-05' : null,
      billingStartDate: renderInstant(s.startMs),
      billingEndDate: s.billingEndMs === null ? null : renderInstant(s.billingEndMs),
      billCycleDayLocal: accountsById.get(s.accountId)?.billCycleDayLocal ?? 1,
      quantity: 1,
      events: eventsOf(s, level).map(withoutSortKey),
      priceOverrides: null,
      prices: phasePrices(s).map((p) => ({
        planName: p.planName,
        phaseName: p.phaseName,
        phaseType: p.phaseType,
        fixedPrice: money(p.fixedPrice),
        recurringPrice: money(p.recurringPrice),
        usagePrices: p.usagePrices.map((u) => ({
          ...u,
          tierPrices: u.tierPrices.map((t) => ({
            blockPrices: t.blockPrices.map((b) => ({
              unitName: b.unitName,
              size: money(b.size),
              price: money(b.price),
              max: money(b.max),
            })),
          })),
        })),
      })),
      auditLogs: auditLogs('SUBSCRIPTION', s.subscriptionId, level),
    };
  }

  function bundle(b: KillbillBundle, level: KillbillAuditLevel) {
    const subs = data.subscriptions.filter((s) => s.bundleId === b.bundleId);
    // The bundle's timeline: every event of its subscriptions by effective date (a stable sort
    // keeps the entitlement event before the billing one at the same instant).
    const events = subs
      .flatMap((s) => eventsOf(s, level))
      .sort((x, y) => x.effectiveMs - y.effectiveMs)
      .map(withoutSortKey);
    const bundleLogs = auditLogs('BUNDLE', b.bundleId, level);
    return {
      accountId: b.accountId,
      bundleId: b.bundleId,
      externalKey: b.externalKey,
      subscriptions: subs.map((s) => subscription(s, level)),
      timeline: {
        accountId: b.accountId,
        bundleId: b.bundleId,
        externalKey: b.externalKey,
        events,
        auditLogs: bundleLogs,
      },
      auditLogs: bundleLogs,
    };
  }

  return { account, subscription, bundle };
}
