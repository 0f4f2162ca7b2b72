import type { HyperstackSnapshotResolvers } from '../generated/resolvers.js';
import { billingDetails, hyperstackResourceFields } from './HyperstackResourceFields.js';

export const HyperstackSnapshot: HyperstackSnapshotResolvers = { ...hyperstackResourceFields, billingDetails };
