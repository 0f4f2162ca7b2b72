import { nonEmptyString } from '../settings.js';
import type { ProviderSettings } from '../types.js';

/**
 * What `validateCredentials` (./index.ts) demands, said as JSON Schema for billgraph.schema.json
 * (editors validate config files with it); test/configSchema.test.ts checks the two agree.
 */
export const theirstackSettings: ProviderSettings = {
  credentials: {
    type: 'object',
    properties: { token: nonEmptyString('TheirStack API key, sent as "Authorization: Bearer <token>".') },
    required: ['token'],
  },
};
