import DataLoader from 'dataloader';
import { perKey } from '../batch.js';
import type { KillbillAccountDto, KillbillBundleDto, KillbillClient, KillbillSubscriptionDto, RolledUpUsageDto } from './client.js';

export interface UsageKey {
  readonly subscriptionId: string;
  /** Query values as sent, from usageDateRange (mapping.ts). */
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * Per-request loaders. Their caches make every Kill Bill call happen at most once per request:
 * the accounts listing once (all pages), bundles once per account, a subscription lookup only
 * when bundles did not already show it, and usage once per (subscription, window) — always the
 * all-unit-types endpoint, so unit filters and account sums share one call.
 */
export function createKillbillLoaders(client: KillbillClient, pageSize: number) {
  const account = new DataLoader<string, KillbillAccountDto | null>(perKey((id: string) => client.getAccount(id)), { name: 'killbill.account' });
  const subscription = new DataLoader<string, KillbillSubscriptionDto | null>(perKey((id: string) => client.getSubscription(id)), { name: 'killbill.subscription' });
  return {
    accounts: new DataLoader<'all', KillbillAccountDto[]>(
      async (keys) => {
        try {
          const list = await client.listAccounts(pageSize);
          // Later getAccount calls (e.g. Subscription.account) read from this listing.
          for (const dto of list) account.prime(dto.accountId, dto);
          return keys.map(() => list);
        } catch (error) {
          return keys.map(() => error as Error);
        }
      },
      { name: 'killbill.accounts' },
    ),
    account,
    bundles: new DataLoader<string, KillbillBundleDto[]>(
      perKey(async (accountId: string) => {
        const bundles = await client.listBundles(accountId);
        for (const bundle of bundles) for (const dto of bundle.subscriptions ?? []) subscription.prime(dto.subscriptionId, dto);
        return bundles;
      }),
      { name: 'killbill.bundles' },
    ),
    subscription,
    usage: new DataLoader<UsageKey, RolledUpUsageDto, string>(
      perKey((key: UsageKey) => client.usage(key.subscriptionId, key.startDate, key.endDate)),
      { name: 'killbill.usage', cacheKeyFn: (key) => `${key.subscriptionId}|${key.startDate}|${key.endDate}` },
    ),
  };
}

export type KillbillLoaders = ReturnType<typeof createKillbillLoaders>;
