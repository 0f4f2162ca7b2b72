import { nonEmptyString } from '../settings.js';
import type { ProviderSettings } from '../types.js';

/**
 * What `validateCredentials` (./index.ts) demands, said as JSON Schema for billgraph.schema.json
 * (editors validate config files with it); test/repo/configSchema.test.ts checks the two agree.
 */
export const openvcloudSettings: ProviderSettings = {
  credentials: {
    type: 'object',
    description: 'A "token" (ItsYou.online JWT, sent as "Authorization: bearer"), or legacy "username" and "password".',
    properties: {
      token: nonEmptyString('ItsYou.online JWT, sent as "Authorization: bearer <token>".'),
      username: nonEmptyString('Legacy login: exchanged with "password" for a users/authenticate session key.'),
      password: nonEmptyString('Legacy login, with "username".'),
    },
    anyOf: [{ required: ['token'] }, { required: ['username', 'password'] }],
  },
};
