import type { SourceConfig } from '../../config.js';
import type { ProviderModule, RuntimeDeps, SourceRuntime } from '../types.js';
import { HyperstackApi } from './api.js';
import { HyperstackClient } from './client.js';
import { createHyperstackLoaders } from './loaders.js';
import { HYPERSTACK_SIM_KEY, startHyperstackSimulator } from './simulator.js';
import { restOptionsOf, sourceModelOf } from '../sourceOf.js';

const DISPLAY_NAME = 'Hyperstack';

function createRuntime(config: SourceConfig, deps: RuntimeDeps): SourceRuntime {
  const source = sourceModelOf(config);
  const client = new HyperstackClient(
    restOptionsOf(config, DISPLAY_NAME),
    config.credentials.apiKey ?? '',
  );
  return {
    source,
    config,
    createApi: (scope) => new HyperstackApi(source, createHyperstackLoaders(client.forRequest(scope)), deps.now),
    ping: async () => {
      await client.thresholds();
    },
    close: async () => client.close(),
  };
}

export const hyperstack = {
  provider: 'HYPERSTACK',
  displayName: DISPLAY_NAME,
  // The per-resource graphs are hourly; organization totals are asked per bucket.
  finestGranularity: 'HOUR',
  validateCredentials: (credentials) =>
    credentials.apiKey ? [] : [{ path: ['credentials', 'apiKey'], message: 'needs "apiKey" (sent as the "api_key" header)' }],
  createRuntime,
  async startSimulator(options = {}) {
    const handle = await startHyperstackSimulator(options);
    return {
      handle,
      source: { id: 'hs', provider: 'HYPERSTACK', name: 'Hyperstack simulator', baseUrl: handle.url, credentials: { apiKey: HYPERSTACK_SIM_KEY } },
    };
  },
} satisfies ProviderModule;
