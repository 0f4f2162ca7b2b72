import { defineProvider } from '../runtime.js';
import { isFinalBucket } from './mapping.js';
import { OpenvcloudApi } from './api.js';
import { OpenvcloudClient, type OpenvcloudCredentials } from './client.js';
import { createOpenvcloudLoaders } from './loaders.js';
import { openvcloudSettings } from './settings.js';
import { openvcloudSchema } from './schema.js';

/**
 * Default `maxResponseBytes` of its sources, 2 MiB: the largest G8 answers are the listings (accounts/list, cloudspaces/list of a whole G8, about 300 bytes per cloudspace: 2 MiB holds about 7,000 cloudspaces) — a calculate tree is about 150 bytes per machine. A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** `{ token }` (an ItsYou.online JWT) or legacy `{ username, password }`. */
function credentialsOf(credentials: Record<string, string>): OpenvcloudCredentials {
  return credentials.token
    ? { token: credentials.token }
    : { username: credentials.username ?? '', password: credentials.password ?? '' };
}

export const openvcloud = defineProvider({
  provider: 'OPENVCLOUD',
  displayName: 'OpenvCloud',
  // The description of its Provider enum value (the schema builds the values from the registry).
  description: 'OpenvCloud (G8): accounts, cloudspaces, machines and capacity-unit consumption.',
  finestGranularity: 'HOUR',
  isFinalBucket,
  // G8 rewrites a bucket only within the hour after it; a day covers a late correction.
  restatementHours: 24,
  // FOCUS: virtual machines in cloudspaces.
  focus: { serviceCategory: 'Compute', serviceSubcategory: 'Virtual Machines', serviceName: 'OpenvCloud Cloudspaces' },
  // billing/calculate totals any window itself, six decimals: "1071.609360".
  upstreamSums: true,
  // A G8 bucket is final an hour after it ends and is not rewritten after that: a day bounds
  // the cost of a correction G8 might still make while sparing the heavy calculate calls.
  cacheTtlSeconds: 86_400,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  validateCredentials: (credentials) => {
    if (credentials.token) return [];
    if (credentials.username && credentials.password) return [];
    return [{ path: ['credentials'], message: 'needs "token" (a JWT) or both "username" and "password"' }];
  },
  settings: openvcloudSettings,
  runtime: (config, deps, options) => {
    const client = new OpenvcloudClient(options, credentialsOf(config.credentials));
    return {
      client,
      createApi: (scope, source) =>
        new OpenvcloudApi(
          source,
          config,
          createOpenvcloudLoaders(client.forRequest(scope), deps.cache, deps.now),
          deps.now,
        ),
      ping: () => client.listAccounts(),
    };
  },
  schema: openvcloudSchema,
});
