import type { SourceConfig } from '../../config.js';
import type { Bucket } from '../../lib/buckets.js';
import { sumDecimals } from '../../lib/decimal.js';
import type { DecodedId } from '../../lib/ids.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, SourceModel } from '../../models.js';
import type { BucketedWindow, RuntimeDeps, SourceApi, SubAccount } from '../types.js';
import type { RecordUsagePayloadModel, SubscriptionModel } from './models.js';
import type { KillbillClient, KillbillSubscriptionDto, RolledUpUsageDto } from './client.js';
import { USAGE_OPERATION, type KillbillLoaders } from './loaders.js';
import type { SourceCache } from '../../cache/sourceCache.js';
import { toAccount, toPoints, toSubscription, usageDateRange } from './mapping.js';
import {
  checkRecordsFit,
  recordOnce,
  recordedSpan,
  windowHoldsRecords,
  type KeyedSerialQueue,
  type UsageRecordRequest,
} from './recordUsage.js';

/** What the source's runtime shares with every request's API. */
export interface KillbillApiDeps {
  readonly source: SourceModel;
  readonly config: SourceConfig;
  readonly client: KillbillClient;
  readonly loaders: KillbillLoaders;
  /** Process-wide, so concurrent requests serialise writes per (subscription, trackingId). */
  readonly writes: KeyedSerialQueue;
  /** X-Killbill-CreatedBy of every write. */
  readonly createdBy: string;
  readonly now: () => number;
  /** The source's cross-request cache, which writes invalidate. */
  readonly cache: SourceCache;
  /** The usage ledger's side of this source, which writes mark (absent without a ledger). */
  readonly ledger?: RuntimeDeps['ledger'];
}

/** Answers the graph for one Kill Bill source within one request; every upstream read goes through a loader. */
/** Kill Bill's id pattern (`\w+-\w+-\w+-\w+-\w+`, docs/upstreams/killbill.md#endpoints). */
const KILLBILL_ID = /^\w+-\w+-\w+-\w+-\w+$/;

export class KillbillApi implements SourceApi {
  constructor(private readonly deps: KillbillApiDeps) {}

  private get source(): SourceModel {
    return this.deps.source;
  }

  async listAccounts(): Promise<AccountModel[]> {
    const list = await this.deps.loaders.accounts.load('all');
    return list.map((dto) => toAccount(this.source, dto));
  }

  /** From this request's listing when it was loaded, else GET /accounts/{id}. */
  async getAccount(providerId: string): Promise<AccountModel | null> {
    const dto = await this.deps.loaders.account.load(providerId);
    return dto ? toAccount(this.source, dto) : null;
  }

  async subscriptions(account: AccountModel): Promise<SubscriptionModel[]> {
    return (await this.subscriptionDtos(account.providerId)).map((dto) => toSubscription(this.source, dto));
  }

  /** Its subscriptions: their usage is read through the same usage loader as the account's (no extra call). */
  async subAccounts(account: AccountModel): Promise<SubAccount[]> {
    return (await this.subscriptions(account)).map((subscription) => ({
      id: subscription.id,
      name: subscription.planName ?? subscription.productName ?? subscription.externalKey,
      consumption: (window: BucketedWindow) => this.subscriptionUsage(subscription, window, null),
    }));
  }

  private async subscriptionDtos(accountId: string): Promise<KillbillSubscriptionDto[]> {
    const bundles = await this.deps.loaders.bundles.load(accountId);
    return bundles.flatMap((b) => b.subscriptions ?? []);
  }

  async subscriptionUsage(
    subscription: SubscriptionModel,
    window: BucketedWindow,
    unitType: string | null,
  ): Promise<ConsumptionPointModel[]> {
    const usages = await Promise.all(window.buckets.map((bucket) => this.usage(subscription.providerId, bucket)));
    const now = this.deps.now();
    return window.buckets.flatMap((bucket, i) => {
      // One entry per unit type (docs/upstreams/killbill.md#k3); the unit filter is applied here so it never costs a call.
      const amounts = new Map(
        usages[i]!.rolledUpUnits.filter((u) => unitType === null || u.unitType === unitType).map((u) => [
          u.unitType,
          u.amount,
        ]),
      );
      return toPoints(amounts, bucket, {
        source: this.source,
        prices: this.deps.config.prices,
        accountProviderId: subscription.accountProviderId,
        now,
      });
    });
  }

  /**
   * The account's subscriptions' usage summed exactly per unit type, one usage call per
   * (subscription, bucket) — the same loader keys Subscription.usage uses, so asking both
   * in one query costs nothing extra. Kill Bill returns one total per call: a DAY series
   * costs one call per day per subscription.
   */
  async accountConsumption(account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    const subscriptions = await this.subscriptionDtos(account.providerId);
    const perBucket = await Promise.all(
      window.buckets.map((bucket) => Promise.all(subscriptions.map((s) => this.usage(s.subscriptionId, bucket)))),
    );
    const now = this.deps.now();
    return window.buckets.flatMap((bucket, i) => {
      const byUnit = new Map<string, string[]>();
      for (const usage of perBucket[i]!) {
        for (const unit of usage.rolledUpUnits) {
          const list = byUnit.get(unit.unitType);
          if (list) list.push(unit.amount);
          else byUnit.set(unit.unitType, [unit.amount]);
        }
      }
      const sums = new Map(
        [...byUnit].map(([unitType, amounts]) => [unitType, amounts.length === 1 ? amounts[0]! : sumDecimals(amounts)]),
      );
      return toPoints(sums, bucket, {
        source: this.source,
        prices: this.deps.config.prices,
        accountProviderId: account.providerId,
        now,
      });
    });
  }

  private usage(subscriptionId: string, bucket: Bucket): Promise<RolledUpUsageDto> {
    return this.deps.loaders.usage.load({ subscriptionId, ...usageDateRange(bucket.startMs, bucket.endMs) });
  }

  async recordUsage(request: UsageRecordRequest): Promise<RecordUsagePayloadModel> {
    checkRecordsFit(request);
    let alreadyRecorded: boolean;
    try {
      alreadyRecorded = await recordOnce(
        this.deps.client,
        this.deps.writes,
        request,
        { createdBy: this.deps.createdBy, reason: request.reason, comment: request.comment },
        this.source.id,
      );
    } finally {
      // Even a failed write may have landed (a lost response): the windows holding its dates
      // are dropped from the cross-request cache either way; other windows stay.
      const prefix = `${request.subscription.providerId}|`;
      await this.deps.cache.invalidate(USAGE_OPERATION, prefix, (params) => {
        const [, startDate = '', endDate = ''] = params.split('|');
        return windowHoldsRecords(request, startDate, endDate);
      });
      // Nor may the ledger answer those days from what it kept before the write.
      const span = recordedSpan(request);
      if (span.endMs > span.startMs)
        await this.deps.ledger?.touched(request.subscription.accountProviderId, span.startMs, span.endMs);
    }
    // The usage cached in this request (if any) predates the write.
    this.deps.loaders.usage.clearAll();
    return { subscription: request.subscription, trackingId: request.trackingId, alreadyRecorded };
  }

  async resolveNode(id: DecodedId): Promise<NodeModel | null> {
    if (id.parts.length !== 1) return null;
    const [upstreamId] = id.parts as [string];
    // Kill Bill ids are UUIDs; anything else (".." included) must never become a URL path segment.
    if (!KILLBILL_ID.test(upstreamId)) return null;
    switch (id.kind) {
      case 'Account':
        return this.getAccount(upstreamId);
      case 'Subscription': {
        const dto = await this.deps.loaders.subscription.load(upstreamId);
        return dto ? toSubscription(this.source, dto) : null;
      }
      default:
        return null;
    }
  }
}

/** The Kill Bill API of a source's per-request API, for the fields only Kill Bill answers; null for other providers. */
export function killbillApiOf(api: SourceApi): KillbillApi | null {
  return api instanceof KillbillApi ? api : null;
}
