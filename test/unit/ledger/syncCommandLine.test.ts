import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config.js';
import { instantOf, SYNC_OPTIONS, SYNC_USAGE } from '../../../src/ledger/syncCommandLine.js';

describe('instantOf', () => {
  it('reads a day as its UTC midnight', () => {
    expect(instantOf('since', '2026-01-01')).toBe(Date.UTC(2026, 0, 1));
    expect(instantOf('until', '2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('reads an RFC 3339 instant with its offset', () => {
    expect(instantOf('since', '2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(instantOf('since', '2026-01-01T05:30:00+02:00')).toBe(Date.UTC(2026, 0, 1, 3, 30));
    expect(instantOf('until', '2026-06-15T12:00:00.250Z')).toBe(Date.UTC(2026, 5, 15, 12, 0, 0, 250));
  });

  it('refuses anything else with a ConfigError naming the option and the value', () => {
    // 2026-02-30 would roll over to 2 March; an instant without an offset would be the machine's zone.
    for (const value of [
      'yesterday',
      '01/02/2026',
      '2026-13-01',
      '',
      '1767225600000',
      '2026-02-30',
      '2026-01-01T00:00:00',
    ]) {
      let error: unknown;
      try {
        instantOf('since', value);
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message, value).toContain(
        `--since must be a date such as 2026-01-01 or an instant such as 2026-01-01T00:00:00Z, got "${value}"`,
      );
    }
  });
});

describe('the sync command line', () => {
  const parse = (args: string[]) => parseArgs({ args, options: SYNC_OPTIONS, strict: true }).values;

  it('takes --since, --until, --config, --resources and --source, repeated', () => {
    expect(
      parse(['--since', '2026-01-01', '--until', '2026-02-01', '--source', 'g8', '--source', 'kb', '--resources']),
    ).toEqual({ since: '2026-01-01', until: '2026-02-01', source: ['g8', 'kb'], resources: true });
  });

  it('documents every option it takes', () => {
    for (const name of Object.keys(SYNC_OPTIONS)) expect(SYNC_USAGE, name).toContain(`--${name}`);
  });
});
