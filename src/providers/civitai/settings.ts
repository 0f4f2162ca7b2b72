import { nonEmptyString } from '../settings.js';
import type { ProviderSettings } from '../types.js';

/**
 * What `validateCredentials` (./index.ts) demands, said as JSON Schema for billgraph.schema.json
 * (editors validate config files with it); test/repo/configSchema.test.ts checks the two agree.
 */
export const civitaiSettings: ProviderSettings = {
  credentials: {
    type: 'object',
    properties: { apiKey: nonEmptyString('Civitai orchestration token, sent as "Authorization: Bearer <apiKey>".') },
    required: ['apiKey'],
  },
};
