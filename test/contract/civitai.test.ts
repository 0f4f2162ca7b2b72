import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/bootstrap.js';
import { ConfigError } from '../../src/config.js';
import { civitai } from '../../src/providers/civitai/index.js';
import { SIMULATORS } from '../../simulators/registry.js';

const problemsOf = (credentials: Record<string, string>): string[] => {
  try {
    validateConfig(
      { sources: [{ id: 'civitai', provider: 'CIVITAI', baseUrl: 'https://orchestration.civitai.com', credentials }] },
      'test',
      {},
    );
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('Civitai module', () => {
  it('needs credentials { apiKey }', () => {
    expect(problemsOf({ apiKey: 'k' })).toEqual([]);
    expect(problemsOf({ token: 'k' })).toEqual([
      'sources[0].credentials.apiKey: needs "apiKey" (a Civitai orchestration token, sent as "Authorization: Bearer <apiKey>")',
    ]);
  });

  it('answers any granularity down to HOUR (the upstream takes arbitrary instants)', () => {
    expect(civitai.finestGranularity).toBe('HOUR');
  });

  it('starts a simulator whose source entry is "civitai"', async () => {
    const started = await SIMULATORS.CIVITAI();
    try {
      expect(started.source).toMatchObject({
        id: 'civitai',
        provider: 'CIVITAI',
        baseUrl: started.handle.url,
        credentials: { apiKey: 'civitai-sim-key' },
      });
    } finally {
      await started.handle.close();
    }
  });
});
