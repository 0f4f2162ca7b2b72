import type { Granularity, Provider, ResourceType } from './generated/resolvers.js';
import type { Money } from './lib/money.js';

/**
 * Internal models: what resolvers receive as parents (codegen `mappers`). Each carries its
 * source so a resolver can reach that source's per-request loaders without a lookup table.
 */
export interface SourceModel {
  readonly id: string;
  readonly provider: Provider;
  readonly name: string;
}

interface FromSource {
  readonly source: SourceModel;
}

export interface AccountModel extends FromSource {
  readonly __typename: 'Account';
  readonly id: string;
  readonly providerId: string;
  readonly name: string | null;
}

export interface CloudspaceModel extends FromSource {
  readonly __typename: 'Cloudspace';
  readonly id: string;
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly location: string | null;
}

export interface MachineModel extends FromSource {
  readonly __typename: 'Machine';
  readonly id: string;
  readonly type: 'MACHINE';
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly cloudspaceProviderId: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly hostname: string | null;
  readonly memoryMb: number | null;
  readonly vcpus: number | null;
  readonly storageGb: number | null;
  readonly createdAt: string | null;
}

/** Every concrete Resource model; grows a member per provider resource type. */
export type ResourceModel = MachineModel;

export interface SubscriptionModel extends FromSource {
  readonly __typename: 'Subscription';
  readonly id: string;
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly productName: string | null;
  readonly planName: string | null;
  readonly state: string | null;
}

export interface BillingThresholdModel extends FromSource {
  readonly __typename: 'BillingThreshold';
  readonly id: string;
  readonly hoursBefore: number;
  readonly title: string | null;
  readonly subscribed: boolean;
}

export type NodeModel = AccountModel | CloudspaceModel | ResourceModel | SubscriptionModel | BillingThresholdModel;

export interface ConsumptionPointModel extends FromSource {
  readonly start: string;
  readonly end: string;
  readonly metric: string;
  /** Exact decimal string, as the upstream sent it or an exact sum of such values. */
  readonly quantity: string;
  readonly unit: string;
  readonly cost: Money | null;
  readonly accountProviderId: string;
  readonly resource: ResourceModel | null;
  readonly isFinal: boolean;
}

export interface SourceErrorModel {
  readonly source: SourceModel;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export interface AccountConnectionModel {
  readonly edges: { cursor: string; node: AccountModel }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
  readonly errors: SourceErrorModel[];
}

export interface UsageReportModel {
  readonly points: ConsumptionPointModel[];
  readonly totals: Money[];
  readonly errors: SourceErrorModel[];
}

export interface RecordUsagePayloadModel {
  readonly subscription: SubscriptionModel;
  readonly trackingId: string;
  readonly alreadyRecorded: boolean;
}

export type { Granularity, Money, Provider, ResourceType };
