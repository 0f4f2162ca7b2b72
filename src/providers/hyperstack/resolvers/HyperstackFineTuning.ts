import type { HyperstackFineTuningResolvers } from '../../../generated/resolvers.js';
import { billingDetails, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackFineTuning: HyperstackFineTuningResolvers = { ...hyperstackResourceFields, billingDetails };
