import type { HyperstackContractResolvers } from '../../../generated/resolvers.js';
import { hyperstackResourceFields } from './resourceFields.js';

export const HyperstackContract: HyperstackContractResolvers = { ...hyperstackResourceFields };
