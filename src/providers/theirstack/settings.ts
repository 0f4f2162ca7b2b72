import { nonEmptyString } from '../settings.js';
import type { ProviderSettings } from '../types.js';

/**
 * What `validateCredentials` (./index.ts) demands, said as JSON Schema for billgraph.schema.json
 * (editors validate config files with it); test/repo/configSchema.test.ts checks the two agree.
 */
export const theirstackSettings: ProviderSettings = {
  credentials: {
    type: 'object',
    properties: { token: nonEmptyString('TheirStack API key, sent as "Authorization: Bearer <token>".') },
    required: ['token'],
  },
  options: {
    type: 'object',
    properties: {
      missingDays: {
        type: 'string',
        enum: ['error', 'zero'],
        default: 'error',
        description:
          'A day of the asked window missing from a credits_consumption answer: "error" (UPSTREAM_BAD_RESPONSE, never a silent 0) or "zero" (for an upstream that omits days without consumption).',
      },
    },
  },
};
