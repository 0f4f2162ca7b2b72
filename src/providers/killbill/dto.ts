/**
 * The shapes of Kill Bill's answers (docs/upstreams/killbill.md), as zod schemas the client
 * checks every 200 against, and the types of what they parse to.
 */
import { z } from 'zod';
import { numberLiteral } from '../jsonNumbers.js';

export const uuid = z.string().regex(/^\w+-\w+-\w+-\w+-\w+$/, 'a UUID');

export const accountDto = z.object({
  accountId: uuid,
  name: z.string().nullish(),
  externalKey: z.string().nullish(),
  email: z.string().nullish(),
  currency: z.string().nullish(),
  timeZone: z.string().nullish(),
});
export const subscriptionDto = z.object({
  subscriptionId: uuid,
  accountId: uuid,
  bundleId: uuid.nullish(),
  externalKey: z.string().nullish(),
  productName: z.string().nullish(),
  productCategory: z.string().nullish(),
  billingPeriod: z.string().nullish(),
  phaseType: z.string().nullish(),
  priceList: z.string().nullish(),
  planName: z.string().nullish(),
  state: z.string().nullish(),
  startDate: z.string().nullish(),
  cancelledDate: z.string().nullish(),
  billingEndDate: z.string().nullish(),
  chargedThroughDate: z.string().nullish(),
});
export const bundleDto = z.object({
  accountId: uuid,
  bundleId: uuid,
  externalKey: z.string().nullish(),
  subscriptions: z.array(subscriptionDto).nullish(),
});
export const rolledUpUsageDto = z.object({
  subscriptionId: uuid,
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  rolledUpUnits: z.array(z.object({ unitType: z.string(), amount: numberLiteral })),
});
/** `BillingExceptionJson` (docs/upstreams/killbill.md#k5); `code` arrives as a literal string from the lossless parser. */
export const billingExceptionDto = z.object({
  className: z.string().nullish(),
  code: numberLiteral.nullish(),
  message: z.string().nullish(),
});

export type KillbillAccountDto = z.infer<typeof accountDto>;
export type KillbillSubscriptionDto = z.infer<typeof subscriptionDto>;
export type KillbillBundleDto = z.infer<typeof bundleDto>;
export type RolledUpUsageDto = z.infer<typeof rolledUpUsageDto>;
