import type { SourceConfig } from '../../config.js';
import type { ProviderModule, RuntimeDeps, SourceRuntime } from '../types.js';
import { OpenvcloudApi } from './api.js';
import { OpenvcloudClient, type OpenvcloudCredentials } from './client.js';
import { createOpenvcloudLoaders } from './loaders.js';
import { restOptionsOf, sourceModelOf } from '../sourceOf.js';
import { openvcloudSettings } from './settings.js';
import { openvcloudSchema } from './schema.js';

/**
 * Default `maxResponseBytes` of its sources, 2 MiB: the largest G8 answers are the listings (accounts/list, cloudspaces/list of a whole G8, about 300 bytes per cloudspace: 2 MiB holds about 7,000 cloudspaces) — a calculate tree is about 150 bytes per machine. A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

const DISPLAY_NAME = 'OpenvCloud';

/** `{ token }` (an ItsYou.online JWT) or legacy `{ username, password }`. */
function credentialsOf(credentials: Record<string, string>): OpenvcloudCredentials {
  return credentials.token
    ? { token: credentials.token }
    : { username: credentials.username ?? '', password: credentials.password ?? '' };
}

function createRuntime(config: SourceConfig, deps: RuntimeDeps): SourceRuntime {
  const source = sourceModelOf(config);
  const client = new OpenvcloudClient(
    restOptionsOf(config, DISPLAY_NAME, deps, MAX_RESPONSE_BYTES),
    credentialsOf(config.credentials),
  );
  return {
    source,
    config,
    createApi: (scope) =>
      new OpenvcloudApi(
        source,
        config,
        createOpenvcloudLoaders(client.forRequest(scope), deps.cache, deps.now),
        deps.now,
      ),
    ping: async () => {
      await client.listAccounts();
    },
    resilience: () => client.resilienceStatus(),
    close: async () => client.close(),
  };
}

export const openvcloud = {
  provider: 'OPENVCLOUD',
  displayName: DISPLAY_NAME,
  // The Provider enum value's description in the schema (npm run codegen).
  description: 'OpenvCloud (G8): accounts, cloudspaces, machines and capacity-unit consumption.',
  finestGranularity: 'HOUR',
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
  createRuntime,
  schema: openvcloudSchema,
} satisfies ProviderModule;
