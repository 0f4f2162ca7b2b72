import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../../src/cache/cacheStore.js';
import { configSchema, type Config } from '../../../src/config.js';
import { closeSources, createSources, registerSourceSecrets } from '../../../src/gateway/sources.js';
import { scrub } from '../../../src/logger.js';
import { fakeSource } from './fakeSources.js';

const G8 = {
  id: 'g8',
  provider: 'OPENVCLOUD',
  baseUrl: 'http://127.0.0.1:9001',
  credentials: { username: 'billgraph-operator', password: 'Pa55-word-42' },
};
const config = (extra: Record<string, unknown> = {}): Config => configSchema.parse({ sources: [G8], ...extra });

describe('the gateway sources', () => {
  it("registers every source's secret credentials with the logger, but not its username", () => {
    registerSourceSecrets(config());
    expect(scrub('login as billgraph-operator with Pa55-word-42')).toBe('login as billgraph-operator with [Redacted]');
  });

  it('builds one runtime per configured source, keyed by its id, with the provider module', async () => {
    const built = createSources(config(), Date.now);
    expect([...built.sources.keys()]).toEqual(['g8']);
    const g8 = built.sources.get('g8')!;
    expect(g8.runtime.source).toMatchObject({ id: 'g8' });
    expect(typeof g8.module.createRuntime).toBe('function');
    await closeSources(built);
  });

  it('makes the metrics unless metrics.enabled is false', async () => {
    const withMetrics = createSources(config(), Date.now);
    expect(withMetrics.metrics).toBeDefined();
    const without = createSources(config({ metrics: { enabled: false } }), Date.now);
    expect(without.metrics).toBeUndefined();
    await Promise.all([closeSources(withMetrics), closeSources(without)]);
  });

  it('refuses a provider this build does not have', () => {
    const unknown = { ...config(), sources: [{ ...config().sources[0]!, provider: 'NOPE' }] } as unknown as Config;
    expect(() => createSources(unknown, Date.now)).toThrow('Provider NOPE is not supported by this build.');
  });

  it('closes every source, then empties the cache', async () => {
    const calls: string[] = [];
    const a = fakeSource('a');
    const b = fakeSource('b');
    const cache = {
      clear: async () => {
        calls.push(`cleared after ${a.state.closed + b.state.closed} closes`);
      },
    } as unknown as CacheStore;
    await closeSources({
      sources: new Map([
        ['a', a.source],
        ['b', b.source],
      ]),
      cache,
    });
    expect(calls).toEqual(['cleared after 2 closes']);
  });
});
