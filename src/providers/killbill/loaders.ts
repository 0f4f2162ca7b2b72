import { DataLoader } from '../loader.js';
import { perKey } from '../batch.js';
import { NO_CACHE, type SourceCache } from '../../cache/sourceCache.js';
import { isFinalBucket, killbillDateMs } from './mapping.js';
import type {
  KillbillAccountDto,
  KillbillBundleDto,
  KillbillClient,
  KillbillSubscriptionDto,
  RolledUpUsageDto,
} from './client.js';

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
 * all-unit-types endpoint, so unit filters and account sums share one call. Across requests,
 * `cache` keeps the usage of final windows (see usageCacheParams for the key recordUsage drops).
 */
export function createKillbillLoaders(
  client: KillbillClient,
  pageSize: number,
  cache: SourceCache = NO_CACHE,
  now: () => number = Date.now,
) {
  const account = new DataLoader<string, KillbillAccountDto | null>(
    perKey((id: string) => client.getAccount(id)),
    { name: 'killbill.account' },
  );
  const subscription = new DataLoader<string, KillbillSubscriptionDto | null>(
    perKey((id: string) => client.getSubscription(id)),
    { name: 'killbill.subscription' },
  );
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
        for (const bundle of bundles)
          for (const dto of bundle.subscriptions ?? []) subscription.prime(dto.subscriptionId, dto);
        return bundles;
      }),
      { name: 'killbill.bundles' },
    ),
    subscription,
    usage: new DataLoader<UsageKey, RolledUpUsageDto, string>(
      perKey((key: UsageKey) =>
        cache.through(
          USAGE_OPERATION,
          usageCacheParams(key),
          isFinalBucket(killbillDateMs(key.endDate), now()) ? 'final' : 'open',
          () => client.usage(key.subscriptionId, key.startDate, key.endDate),
        ),
      ),
      { name: 'killbill.usage', cacheKeyFn: usageCacheParams },
    ),
  };
}

/** The cache operation of usage reads; recordUsage invalidates it. */
export const USAGE_OPERATION = 'usage';
/** `subscription|start|end`: Kill Bill ids and date values never contain "|". */
export const usageCacheParams = (key: UsageKey): string => `${key.subscriptionId}|${key.startDate}|${key.endDate}`;

export type KillbillLoaders = ReturnType<typeof createKillbillLoaders>;
