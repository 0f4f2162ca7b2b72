import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/bootstrap.js';
import { ConfigError } from '../../src/config.js';

const source = (extra: Record<string, unknown>) => ({
  sources: [
    {
      id: 'kb',
      provider: 'KILLBILL',
      baseUrl: 'http://127.0.0.1:9002',
      credentials: { username: 'admin', password: 'p', apiKey: 'bob', apiSecret: 's' },
      ...extra,
    },
  ],
});
const problems = (raw: unknown): string[] => {
  try {
    validateConfig(raw, 'test', {});
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('Kill Bill source config', () => {
  it('accepts the four credentials and the documented options', () => {
    expect(problems(source({ options: { createdBy: 'ops-bot', pageSize: 200 } }))).toEqual([]);
  });

  it('names every missing credential', () => {
    expect(problems(source({ credentials: { username: 'admin', password: 'p' } }))).toEqual([
      'sources[0].credentials: needs "username" and "password" (HTTP Basic) and "apiKey" and "apiSecret" (the tenant); missing "apiKey", "apiSecret"',
    ]);
  });

  it('rejects a bad createdBy or pageSize', () => {
    expect(problems(source({ options: { createdBy: '', pageSize: 0 } }))).toEqual([
      'sources[0].options.createdBy: must be a non-empty string of at most 50 characters (the X-Killbill-CreatedBy audit user)',
      'sources[0].options.pageSize: must be an integer from 1 to 1000 (accounts per accounts/pagination call)',
    ]);
  });
});
