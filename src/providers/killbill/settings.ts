import { nonEmptyString } from '../settings.js';
import type { ProviderSettings } from '../types.js';

/**
 * What `validateCredentials` (./index.ts) demands, said as JSON Schema for billgraph.schema.json
 * (editors validate config files with it); test/repo/configSchema.test.ts checks the two agree.
 */
export const killbillSettings: ProviderSettings = {
  credentials: {
    type: 'object',
    description: 'HTTP Basic "username" and "password" plus the tenant\'s "apiKey" and "apiSecret".',
    properties: {
      username: nonEmptyString('HTTP Basic user.'),
      password: nonEmptyString('HTTP Basic password.'),
      apiKey: nonEmptyString('The tenant, sent as X-Killbill-ApiKey.'),
      apiSecret: nonEmptyString("The tenant's secret, sent as X-Killbill-ApiSecret."),
    },
    required: ['username', 'password', 'apiKey', 'apiSecret'],
  },
  options: {
    type: 'object',
    properties: {
      createdBy: {
        type: 'string',
        minLength: 1,
        maxLength: 50,
        pattern: '\\S',
        default: 'billgraph',
        description: 'The X-Killbill-CreatedBy audit user of writes, at most 50 characters.',
      },
      pageSize: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 100,
        description: 'Accounts per accounts/pagination call, in accounts.',
      },
    },
  },
};
