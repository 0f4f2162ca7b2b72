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
export type ResourceModel = MachineModel | HyperstackResourceModel;

export interface SubscriptionModel extends FromSource {
  readonly __typename: 'Subscription';
  readonly id: string;
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly productName: string | null;
  readonly planName: string | null;
  readonly state: string | null;
  // Kill Bill details (src/providers/killbill/); optional so the shape stays easy to build.
  readonly bundleProviderId?: string | null;
  readonly externalKey?: string | null;
  readonly productCategory?: string | null;
  readonly billingPeriod?: string | null;
  readonly phaseType?: string | null;
  readonly priceList?: string | null;
  /** RFC 3339 instant. */
  readonly startDate?: string | null;
  /** RFC 3339 instant; when usage may no longer be recorded (Kill Bill's billingEndDate). */
  readonly billingEndDate?: string | null;
  /** YYYY-MM-DD. */
  readonly chargedThroughDate?: string | null;
}

export interface BillingThresholdModel extends FromSource {
  readonly __typename: 'BillingThreshold';
  readonly id: string;
  readonly hoursBefore: number;
  readonly title: string | null;
  /** Hyperstack's interface_tooltip; optional so other providers need not set it. */
  readonly tooltip?: string | null;
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

// ---- Hyperstack (src/providers/hyperstack/)

/** What every Hyperstack resource carries; fields a kind does not have are null. */
interface HyperstackResourceFields extends FromSource {
  readonly id: string;
  /** Hyperstack's infrahub_id (the integer its per-resource endpoints take). */
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly name: string | null;
  readonly uuid: string | null;
  readonly status: string | null;
  readonly contractId: string | null;
  readonly baseModel: string | null;
  readonly baseModelDisplayName: string | null;
  readonly loraAdapter: string | null;
  readonly gpuType: string | null;
}

export interface HyperstackVirtualMachineModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackVirtualMachine';
  readonly type: 'VIRTUAL_MACHINE';
}
export interface HyperstackVolumeModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackVolume';
  readonly type: 'VOLUME';
}
export interface HyperstackSnapshotModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackSnapshot';
  readonly type: 'SNAPSHOT';
}
export interface HyperstackBucketModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackBucket';
  readonly type: 'BUCKET';
}
export interface HyperstackClusterModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackCluster';
  readonly type: 'CLUSTER';
}
export interface HyperstackFineTuningModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackFineTuning';
  readonly type: 'FINE_TUNING';
}
export interface HyperstackTokenWorkloadModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackTokenWorkload';
  readonly type: 'MODEL_EVALUATION' | 'SERVERLESS_INFERENCE' | 'DATA_SYNTHESIS';
}
export interface HyperstackContractModel extends HyperstackResourceFields {
  readonly __typename: 'HyperstackContract';
  readonly type: 'CONTRACT';
}

export type HyperstackResourceModel =
  | HyperstackVirtualMachineModel
  | HyperstackVolumeModel
  | HyperstackSnapshotModel
  | HyperstackBucketModel
  | HyperstackClusterModel
  | HyperstackFineTuningModel
  | HyperstackTokenWorkloadModel
  | HyperstackContractModel;

/** A usage row (lifetime figures) with its resource when the type is one billgraph knows. */
export interface HyperstackResourceUsageModel {
  readonly resourceId: string;
  readonly resourceType: string | null;
  readonly resource: HyperstackResourceModel | null;
  readonly name: string | null;
  readonly organizationId: string | null;
  readonly billPerMinute: Money | null;
  readonly createdAt: string | null;
  readonly terminatedAt: string | null;
  readonly totalUpTimeMinutes: string | null;
  readonly totalBill: Money | null;
  readonly active: boolean | null;
  readonly excludeBilling: boolean | null;
}

export type { Granularity, Money, Provider, ResourceType };
