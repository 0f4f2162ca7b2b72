import type { HyperstackVolumeResolvers } from '../../../generated/resolvers.js';
import { billingDetails, billingEvents, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackVolume: HyperstackVolumeResolvers = {
  ...hyperstackResourceFields,
  billingDetails,
  billingEvents,
};
