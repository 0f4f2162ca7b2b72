import { describe, expect, it } from 'vitest';
import { EXPORT_OPTIONS, EXPORT_USAGE, exportParams } from '../../../../src/export/focus/exportCommandLine.js';

describe('the export command line', () => {
  it('hands its options to the export as the query parameters of GET /export/focus, without --config and --out', () => {
    expect(
      exportParams({ start: '2026-11-01', end: '2026-11-02', out: 'f.csv', config: 'b.json', virtual: 'skip' }),
    ).toEqual({
      start: '2026-11-01',
      end: '2026-11-02',
      virtual: 'skip',
    });
  });

  it('documents every option in its usage', () => {
    for (const option of Object.keys(EXPORT_OPTIONS)) expect(EXPORT_USAGE).toContain(`--${option}`);
  });
});
