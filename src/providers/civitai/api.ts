import type { DecodedId } from '../../lib/ids.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, SourceModel } from '../../models.js';
import type { BucketedWindow, SourceApi } from '../types.js';
import type { CivitaiLoaders } from './loaders.js';
import { toAccount, toPoint } from './mapping.js';

/**
 * Answers the graph for one Civitai source within one request. The upstream takes arbitrary
 * instants and returns one total per call, so every bucket (HOUR, DAY in any zone, MONTH,
 * TOTAL) is asked for exactly — one call per distinct bucket, shared through the loader.
 */
export class CivitaiApi implements SourceApi {
  private readonly account: AccountModel;

  constructor(
    private readonly source: SourceModel,
    private readonly loaders: CivitaiLoaders,
    private readonly now: () => number,
  ) {
    this.account = toAccount(source);
  }

  /** The key's consumer, without an upstream call: there is no consumer endpoint to ask. */
  async listAccounts(): Promise<AccountModel[]> {
    return [this.account];
  }

  async getAccount(providerId: string): Promise<AccountModel | null> {
    return providerId === this.account.providerId ? this.account : null;
  }

  async accountConsumption(_account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    const totals = await Promise.all(window.buckets.map((b) => this.loaders.consumption.load({ startMs: b.startMs, endMs: b.endMs })));
    const now = this.now();
    return window.buckets.map((bucket, i) => toPoint(totals[i]!, bucket, this.source, now));
  }

  async resolveNode(id: DecodedId): Promise<NodeModel | null> {
    return id.kind === 'Account' && id.parts.length === 1 ? this.getAccount(id.parts[0]!) : null;
  }
}
