import { encodeId, type DecodedId } from '../lib/ids.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, SourceModel } from '../models.js';
import type { BucketedWindow, SourceApi } from './types.js';

/** The single account of a source whose credentials name one owner the upstream never describes; it is named after the source. */
export function sourceAccount(source: SourceModel): AccountModel {
  return {
    __typename: 'Account',
    source,
    id: encodeId('Account', source.id, source.id),
    providerId: source.id,
    name: source.name,
  };
}

/**
 * Base of the APIs of sources that are one account (a Civitai key's consumer, a TheirStack
 * team): listing and lookups need no upstream call.
 */
export abstract class SourceAccountApi implements SourceApi {
  protected readonly account: AccountModel;

  constructor(protected readonly source: SourceModel) {
    this.account = sourceAccount(source);
  }

  async listAccounts(): Promise<AccountModel[]> {
    return [this.account];
  }

  async getAccount(providerId: string): Promise<AccountModel | null> {
    return providerId === this.account.providerId ? this.account : null;
  }

  async resolveNode(id: DecodedId): Promise<NodeModel | null> {
    return id.kind === 'Account' && id.parts.length === 1 ? this.getAccount(id.parts[0]!) : null;
  }

  abstract accountConsumption(account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]>;
}
