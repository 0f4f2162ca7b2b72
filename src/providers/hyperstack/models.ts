import type { Money } from '../../lib/money.js';
import type { FromSource } from '../../models.js';

/** The models Hyperstack's resolvers receive (codegen mappers, listed in ./schema.ts). */
export interface BillingThresholdModel extends FromSource {
  readonly __typename: 'BillingThreshold';
  readonly id: string;
  readonly hoursBefore: number;
  readonly title: string | null;
  /** Hyperstack's interface_tooltip. */
  readonly tooltip: string | null;
  readonly subscribed: boolean;
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

/** Endpoint 1's window totals (USD) for Account.hyperstackBillingHistory. */
export interface HyperstackOrganizationBillingModel {
  readonly incurredBill: Money | null;
  readonly nonDiscountedBill: Money | null;
  readonly vmCost: Money | null;
  readonly volumeCost: Money | null;
  readonly contractCost: Money | null;
  readonly snapshotCost: Money | null;
  /** The daily points; null when withGraph was false, or when the upstream sent none (see graphUnavailable). */
  readonly incurredBillGraph: readonly { readonly at: string; readonly amount: Money }[] | null;
  /**
   * withGraph was true but the answer had no `incurred_bill_graph` (no Hyperstack model defines one,
   * docs/upstreams/hyperstack.md#s10): the field resolves to null with an error, never to an empty list.
   */
  readonly graphUnavailable: boolean;
}
