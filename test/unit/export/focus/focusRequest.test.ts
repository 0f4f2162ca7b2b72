import { describe, expect, it } from 'vitest';
import { focusRequestOf } from '../../../../src/export/focus/focusRequest.js';

describe('focusRequestOf', () => {
  it('reads dates as UTC midnights and fills the defaults: DAY, csv, 1.3, every source, refuse', () => {
    expect(focusRequestOf({ start: '2026-11-01', end: '2026-11-03' })).toEqual({
      startMs: Date.parse('2026-11-01T00:00:00Z'),
      endMs: Date.parse('2026-11-03T00:00:00Z'),
      granularity: 'DAY',
      format: 'csv',
      version: '1.3',
      sources: null,
      virtual: 'refuse',
      unpriced: 'refuse',
    });
  });

  it('takes names in any case and a comma-separated list of sources', () => {
    const r = focusRequestOf({
      start: '2026-11-01T00:00:00Z',
      end: '2026-12-01T00:00:00Z',
      granularity: 'month',
      format: 'JSONL',
      version: '1.2',
      sources: 'g8, kb,,',
      virtual: 'skip',
    });
    expect([r.granularity, r.format, r.version, r.sources, r.virtual]).toEqual([
      'MONTH',
      'jsonl',
      '1.2',
      ['g8', 'kb'],
      'skip',
    ]);
  });

  it.each([
    [{ end: '2026-11-02' }, 'start is required'],
    [{ start: 'yesterday', end: '2026-11-02' }, 'start must be an RFC 3339 instant'],
    [{ start: '2026-11-02', end: '2026-11-02' }, 'start must be before end'],
    [{ start: '2026-11-02', end: '2026-11-15', granularity: 'MONTH' }, 'is not on a MONTH edge'],
    [{ start: '2026-11-01T00:30:00Z', end: '2026-11-02', granularity: 'HOUR' }, 'is not on a HOUR edge'],
    [{ start: '2026-11-01', end: '2026-11-02', format: 'xml' }, 'format must be one of csv, jsonl'],
    [{ start: '2026-11-01', end: '2026-11-02', version: '1.1' }, 'version must be one of 1.3, 1.2'],
    [{ start: '2026-11-01', end: '2026-11-02', unpriced: 'zero' }, 'unpriced must be one of refuse, skip'],
    [{ start: '2025-01-01', end: '2026-11-02' }, 'more than 366 days'],
  ])('refuses %j, saying: %s', (params, message) => {
    expect(() => focusRequestOf(params)).toThrow(message);
  });
});
