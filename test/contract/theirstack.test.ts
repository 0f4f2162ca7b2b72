import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/bootstrap.js';
import { ConfigError } from '../../src/config.js';
import { rateLimitReset } from '../../src/providers/theirstack/client.js';
import { theirstack } from '../../src/providers/theirstack/index.js';

const problemsOf = (credentials: Record<string, string>): string[] => {
  try {
    validateConfig(
      { sources: [{ id: 'ts', provider: 'THEIRSTACK', baseUrl: 'https://api.theirstack.com', credentials }] },
      'test',
      {},
    );
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('TheirStack module', () => {
  it('needs credentials { token }', () => {
    expect(problemsOf({ token: 't' })).toEqual([]);
    expect(problemsOf({ apiKey: 't' })).toEqual([
      'sources[0].credentials.token: needs "token" (a TheirStack API key, sent as "Authorization: Bearer <token>")',
    ]);
  });

  it('reports whole days only', () => {
    expect(theirstack.finestGranularity).toBe('DAY');
  });

  it('reads the wait from the IETF RateLimit header: the longest reset among exhausted policies', () => {
    expect(rateLimitReset('"per-second"; r=0; t=1, "per-minute"; r=0; t=42, "per-day"; r=300; t=80000')).toBe(42);
    expect(rateLimitReset('"per-minute"; r=3; t=12')).toBe(12);
    expect(rateLimitReset(null)).toBeUndefined();
    expect(rateLimitReset('garbage')).toBeUndefined();
  });
});
