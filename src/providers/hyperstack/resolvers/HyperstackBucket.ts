import type { HyperstackBucketResolvers } from '../../../generated/resolvers.js';
import { billingDetails, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackBucket: HyperstackBucketResolvers = { ...hyperstackResourceFields, billingDetails };
