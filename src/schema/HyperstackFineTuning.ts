import type { HyperstackFineTuningResolvers } from '../generated/resolvers.js';
import { billingDetails, hyperstackResourceFields } from './HyperstackResourceFields.js';

export const HyperstackFineTuning: HyperstackFineTuningResolvers = { ...hyperstackResourceFields, billingDetails };
