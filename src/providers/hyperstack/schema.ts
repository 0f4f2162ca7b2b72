import type { ProviderSchema } from '../types.js';
import { Account } from './resolvers/Account.js';
import { HyperstackBucket } from './resolvers/HyperstackBucket.js';
import { HyperstackCluster } from './resolvers/HyperstackCluster.js';
import { HyperstackContract } from './resolvers/HyperstackContract.js';
import { HyperstackFineTuning } from './resolvers/HyperstackFineTuning.js';
import { HyperstackOrganizationBilling } from './resolvers/HyperstackOrganizationBilling.js';
import { HyperstackSnapshot } from './resolvers/HyperstackSnapshot.js';
import { HyperstackTokenWorkload } from './resolvers/HyperstackTokenWorkload.js';
import { HyperstackVirtualMachine } from './resolvers/HyperstackVirtualMachine.js';
import { HyperstackVolume } from './resolvers/HyperstackVolume.js';
import { Mutation } from './resolvers/Mutation.js';

/** Hyperstack's part of the schema: one type per resource kind, billing thresholds, organization billing. */
export const hyperstackSchema: ProviderSchema = {
  sdl: [new URL('./schema.graphql', import.meta.url)],
  resolvers: {
    Account,
    Mutation,
    HyperstackVirtualMachine,
    HyperstackVolume,
    HyperstackSnapshot,
    HyperstackBucket,
    HyperstackCluster,
    HyperstackFineTuning,
    HyperstackTokenWorkload,
    HyperstackContract,
    HyperstackOrganizationBilling,
  },
  models: new URL('./models.js', import.meta.url),
  mappers: {
    BillingThreshold: 'BillingThresholdModel',
    HyperstackVirtualMachine: 'HyperstackVirtualMachineModel',
    HyperstackVolume: 'HyperstackVolumeModel',
    HyperstackSnapshot: 'HyperstackSnapshotModel',
    HyperstackBucket: 'HyperstackBucketModel',
    HyperstackCluster: 'HyperstackClusterModel',
    HyperstackFineTuning: 'HyperstackFineTuningModel',
    HyperstackTokenWorkload: 'HyperstackTokenWorkloadModel',
    HyperstackContract: 'HyperstackContractModel',
    HyperstackResourceUsage: 'HyperstackResourceUsageModel',
    HyperstackOrganizationBilling: 'HyperstackOrganizationBillingModel',
  },
};
