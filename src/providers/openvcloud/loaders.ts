import DataLoader from 'dataloader';
import { perKey, single } from '../batch.js';
import type { OpenvcloudClient, AccountDto, CalculateAccountDto, CloudspaceDto, MachineDto } from './client.js';

export interface CalculateKey {
  readonly accountId: string;
  readonly startSec: number;
  readonly endSec: number;
}

/**
 * Per-request loaders. Their caches make every G8 call happen at most once per request:
 * accounts/list and cloudspaces/list once, machines/list once per cloudspace, and
 * billing/calculate once per (account, start, end) however many nodes read from the tree.
 */
export function createOpenvcloudLoaders(client: OpenvcloudClient) {
  return {
    accounts: new DataLoader<'all', AccountDto[]>(single(() => client.listAccounts()), { name: 'openvcloud.accounts' }),
    cloudspaces: new DataLoader<'all', CloudspaceDto[]>(single(() => client.listCloudspaces()), { name: 'openvcloud.cloudspaces' }),
    machines: new DataLoader<string, MachineDto[]>(perKey((cloudspaceId: string) => client.listMachines(cloudspaceId)), { name: 'openvcloud.machines' }),
    calculate: new DataLoader<CalculateKey, CalculateAccountDto, string>(
      perKey((key: CalculateKey) => client.calculate(key.accountId, key.startSec, key.endSec)),
      { name: 'openvcloud.calculate', cacheKeyFn: (key) => `${key.accountId}|${key.startSec}|${key.endSec}` },
    ),
  };
}

export type OpenvcloudLoaders = ReturnType<typeof createOpenvcloudLoaders>;
