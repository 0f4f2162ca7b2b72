import { describe, expect, it, vi } from 'vitest';
import { NO_CACHE } from '../../../src/cache/sourceCache.js';
import { configSchema, type SourceConfig } from '../../../src/config.js';
import type { RestClient, RestClientOptions } from '../../../src/providers/http.js';
import { defineProvider } from '../../../src/providers/runtime.js';
import { createRequestScope } from '../../../src/requestScope.js';

const config = (extra: Record<string, unknown> = {}) =>
  configSchema.parse({
    sources: [{ id: 'hs', provider: 'HYPERSTACK', baseUrl: 'https://api.example.com', credentials: {}, ...extra }],
  });

/** A module whose runtime records what it was built with and hands out a fake client. */
function probe(maxInFlight?: number) {
  const built: { options?: RestClientOptions; config?: SourceConfig } = {};
  const close = vi.fn(async () => {});
  const client = {
    forRequest: vi.fn(() => client),
    resilienceStatus: vi.fn(() => ({ breaker: 'closed' })),
    close,
  } as unknown as RestClient;
  const createApi = vi.fn(() => ({}) as never);
  const module = defineProvider({
    provider: 'HYPERSTACK',
    displayName: 'Probe',
    description: 'A probe.',
    finestGranularity: 'DAY',
    isFinalBucket: (endMs, now) => endMs <= now,
    restatementHours: 0,
    cacheTtlSeconds: 60,
    maxResponseBytes: 4096,
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    validateCredentials: () => [],
    settings: { credentials: { type: 'object' } },
    runtime: (sourceConfig, _deps, options) => {
      Object.assign(built, { options, config: sourceConfig });
      return { client, createApi, ping: async () => 'an answer' };
    },
  });
  return { module, built, close, createApi };
}

const deps = (c: ReturnType<typeof config>) => ({ limits: c.limits, now: Date.now, cache: NO_CACHE });

describe('defineProvider', () => {
  it("keeps the module's facts and builds the runtime every provider shares", async () => {
    const { module, built, close, createApi } = probe();
    expect(module).toMatchObject({ provider: 'HYPERSTACK', displayName: 'Probe', maxResponseBytes: 4096 });
    expect(module).not.toHaveProperty('runtime');
    const c = config();
    const runtime = module.createRuntime(c.sources[0]!, deps(c));
    expect(runtime.source).toEqual({ id: 'hs', provider: 'HYPERSTACK', name: 'hs' });
    expect(runtime.config).toBe(c.sources[0]);
    expect(built.options).toMatchObject({ displayName: 'Probe', sourceId: 'hs', maxResponseBytes: 4096 });
    expect(built.options).not.toHaveProperty('maxInFlight');
    const scope = createRequestScope();
    runtime.createApi(scope);
    expect(createApi).toHaveBeenCalledWith(scope, runtime.source);
    await expect(runtime.ping()).resolves.toBeUndefined();
    expect(runtime.resilience()).toEqual({ breaker: 'closed' });
    await runtime.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("applies the module's in-flight default under maxSockets, unless the source sets maxInFlight", () => {
    const { module, built } = probe(8);
    let c = config();
    module.createRuntime(c.sources[0]!, deps(c));
    expect(built.options?.maxInFlight).toBe(8);
    c = config({ maxSockets: 4 });
    module.createRuntime(c.sources[0]!, deps(c));
    expect(built.options?.maxInFlight).toBe(4);
    c = config({ maxInFlight: 20 });
    module.createRuntime(c.sources[0]!, deps(c));
    expect(built.options?.maxInFlight).toBe(20);
  });

  it("prefers the source's maxResponseBytes to the module's", () => {
    const { module, built } = probe();
    const c = config({ maxResponseBytes: 8192 });
    module.createRuntime(c.sources[0]!, deps(c));
    expect(built.options?.maxResponseBytes).toBe(8192);
  });
});
