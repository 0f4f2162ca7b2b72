import { DataLoader } from '../loader.js';
import { perKey, single } from '../batch.js';
import { NO_CACHE, type SourceCache } from '../../cache/sourceCache.js';
import type { OpenvcloudClient, AccountDto, CalculateAccountDto, CloudspaceDto, MachineDto } from './client.js';
import { isFinalBucket } from './mapping.js';

export interface CalculateKey {
  readonly accountId: string;
  readonly startSec: number;
  readonly endSec: number;
}

/**
 * Per-request loaders. Their caches make every G8 call happen at most once per request:
 * accounts/list and cloudspaces/list once, machines/list once per cloudspace, and
 * billing/calculate once per (account, start, end) however many nodes read from the tree.
 * Across requests, `cache` keeps calculate answers of final buckets (and listings when the
 * source opts in with cache.listTtlSeconds).
 */
export function createOpenvcloudLoaders(
  client: OpenvcloudClient,
  cache: SourceCache = NO_CACHE,
  now: () => number = Date.now,
) {
  return {
    accounts: new DataLoader<'all', AccountDto[]>(
      single(() => cache.through('accounts', '', 'listing', () => client.listAccounts())),
      { name: 'openvcloud.accounts' },
    ),
    cloudspaces: new DataLoader<'all', CloudspaceDto[]>(
      single(() => cache.through('cloudspaces', '', 'listing', () => client.listCloudspaces())),
      { name: 'openvcloud.cloudspaces' },
    ),
    machines: new DataLoader<string, MachineDto[]>(
      perKey((cloudspaceId: string) =>
        cache.through('machines', cloudspaceId, 'listing', () => client.listMachines(cloudspaceId)),
      ),
      { name: 'openvcloud.machines' },
    ),
    calculate: new DataLoader<CalculateKey, CalculateAccountDto, string>(
      perKey((key: CalculateKey) =>
        cache.through('calculate', calculateKey(key), isFinalBucket(key.endSec * 1000, now()) ? 'final' : 'open', () =>
          client.calculate(key.accountId, key.startSec, key.endSec),
        ),
      ),
      { name: 'openvcloud.calculate', cacheKeyFn: calculateKey },
    ),
  };
}

const calculateKey = (key: CalculateKey): string => `${key.accountId}|${key.startSec}|${key.endSec}`;

export type OpenvcloudLoaders = ReturnType<typeof createOpenvcloudLoaders>;
