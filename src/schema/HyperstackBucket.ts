import type { HyperstackBucketResolvers } from '../generated/resolvers.js';
import { billingDetails, hyperstackResourceFields } from './HyperstackResourceFields.js';

export const HyperstackBucket: HyperstackBucketResolvers = { ...hyperstackResourceFields, billingDetails };
