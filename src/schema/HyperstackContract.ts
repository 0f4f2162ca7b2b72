import type { HyperstackContractResolvers } from '../generated/resolvers.js';
import { hyperstackResourceFields } from './HyperstackResourceFields.js';

export const HyperstackContract: HyperstackContractResolvers = { ...hyperstackResourceFields };
