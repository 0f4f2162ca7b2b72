import type { HyperstackSnapshotResolvers } from '../../../generated/resolvers.js';
import { billingDetails, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackSnapshot: HyperstackSnapshotResolvers = { ...hyperstackResourceFields, billingDetails };
