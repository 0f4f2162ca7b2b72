import { isNotFound } from '../../errors.js';
import type { Bucket } from '../../lib/buckets.js';
import { encodeId, type DecodedId } from '../../lib/ids.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, ResourceModel, SourceModel } from '../../models.js';
import type { SourceConfig } from '../../config.js';
import type { BucketedWindow, SourceApi, SubAccount } from '../types.js';
import type { CalculateAccountDto } from './client.js';
import type { OpenvcloudLoaders } from './loaders.js';
import type { CloudspaceModel, MachineModel } from './models.js';
import { toAccount, toCloudspace, toEpochSeconds, toMachine, toPoints } from './mapping.js';

/** Answers the graph for one G8 source within one request; every upstream read goes through a loader. */
export class OpenvcloudApi implements SourceApi {
  constructor(
    private readonly source: SourceModel,
    private readonly config: SourceConfig,
    private readonly loaders: OpenvcloudLoaders,
    private readonly now: () => number,
  ) {}

  async listAccounts(): Promise<AccountModel[]> {
    const list = await this.loaders.accounts.load('all');
    return list.map((dto) => toAccount(this.source, dto));
  }

  async getAccount(providerId: string): Promise<AccountModel | null> {
    return (await this.listAccounts()).find((a) => a.providerId === providerId) ?? null;
  }

  async cloudspaces(account: AccountModel): Promise<CloudspaceModel[]> {
    const list = await this.loaders.cloudspaces.load('all');
    return list.filter((cs) => cs.accountId === account.providerId).map((dto) => toCloudspace(this.source, dto));
  }

  async machines(cloudspace: CloudspaceModel): Promise<MachineModel[]> {
    const list = await this.loaders.machines.load(cloudspace.providerId);
    return list.map((dto) => toMachine(this.source, cloudspace.accountProviderId, dto));
  }

  async resources(account: AccountModel, types: readonly string[] | null): Promise<ResourceModel[]> {
    if (types && !types.includes('MACHINE')) return [];
    const spaces = await this.cloudspaces(account);
    return (await Promise.all(spaces.map((cs) => this.machines(cs)))).flat();
  }

  /** Its cloudspaces: their consumption is a subtree of the account's calculate answer (no extra call). */
  async subAccounts(account: AccountModel): Promise<SubAccount[]> {
    return (await this.cloudspaces(account)).map((cloudspace) => ({
      id: cloudspace.id,
      name: cloudspace.name,
      consumption: (window: BucketedWindow) => this.cloudspaceConsumption(cloudspace, window),
    }));
  }

  /** A machine's cloudspace (the id toCloudspace gives it). */
  subAccountOf(resource: ResourceModel): string | null {
    return resource.__typename === 'Machine'
      ? encodeId('Cloudspace', this.source.id, resource.accountProviderId, resource.cloudspaceProviderId)
      : null;
  }

  accountConsumption(account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    return this.pointsFromTree(account.providerId, window, null, (tree) => tree.consumption);
  }

  cloudspaceConsumption(cloudspace: CloudspaceModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    return this.pointsFromTree(
      cloudspace.accountProviderId,
      window,
      null,
      (tree) => tree.cloudspaces[cloudspace.providerId]?.consumption,
    );
  }

  async resourceConsumption(resource: ResourceModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    if (resource.__typename !== 'Machine') return [];
    const machine = resource;
    return this.pointsFromTree(
      machine.accountProviderId,
      window,
      machine,
      (tree) => tree.cloudspaces[machine.cloudspaceProviderId]?.machines[machine.providerId]?.consumption,
    );
  }

  /**
   * One calculate call per (account, bucket), shared by every node of that account through the
   * loader cache; each node then picks its own subtree. A node missing from a bucket's tree had
   * no consumption in it (G8 omits those), so it contributes no points for that bucket.
   */
  private async pointsFromTree(
    accountId: string,
    window: BucketedWindow,
    resource: ResourceModel | null,
    pick: (tree: CalculateAccountDto) => Record<string, string> | undefined,
  ): Promise<ConsumptionPointModel[]> {
    const trees = await Promise.all(window.buckets.map((bucket) => this.calculate(accountId, bucket)));
    const now = this.now();
    return window.buckets.flatMap((bucket, i) => {
      const consumption = pick(trees[i]!);
      return consumption
        ? toPoints(consumption, bucket, {
            source: this.source,
            prices: this.config.prices,
            accountProviderId: accountId,
            resource,
            now,
          })
        : [];
    });
  }

  private calculate(accountId: string, bucket: Bucket): Promise<CalculateAccountDto> {
    return this.loaders.calculate.load({
      accountId,
      startSec: toEpochSeconds(bucket.startMs),
      endSec: toEpochSeconds(bucket.endMs),
    });
  }

  async resolveNode(id: DecodedId): Promise<NodeModel | null> {
    const [accountId, cloudspaceId, machineId] = id.parts;
    switch (id.kind) {
      case 'Account':
        return id.parts.length === 1 ? this.getAccount(accountId!) : null;
      case 'Cloudspace': {
        if (id.parts.length !== 2) return null;
        const spaces = await this.loaders.cloudspaces.load('all');
        const dto = spaces.find((cs) => cs.id === cloudspaceId && cs.accountId === accountId);
        return dto ? toCloudspace(this.source, dto) : null;
      }
      case 'Machine': {
        if (id.parts.length !== 3) return null;
        const spaces = await this.loaders.cloudspaces.load('all');
        if (!spaces.some((cs) => cs.id === cloudspaceId && cs.accountId === accountId)) return null;
        try {
          const machines = await this.loaders.machines.load(cloudspaceId!);
          const dto = machines.find((m) => m.id === machineId);
          return dto ? toMachine(this.source, accountId!, dto) : null;
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      }
      default:
        return null;
    }
  }
}

/** The OpenvCloud API of a source's per-request API, for the fields only OpenvCloud answers; null for other providers. */
export function openvcloudApiOf(api: SourceApi): OpenvcloudApi | null {
  return api instanceof OpenvcloudApi ? api : null;
}
