import { describe, expect, it } from 'vitest';
import { FOCUS_COLUMNS, columnsOf } from '../../../../src/export/focus/focusColumns.js';

describe('the FOCUS export columns', () => {
  it('writes FOCUS columns first and billgraph’s own, x_-prefixed, after them', () => {
    const names = columnsOf('1.3');
    const firstOwn = names.findIndex((n) => n.startsWith('x_'));
    expect(firstOwn).toBeGreaterThan(0);
    expect(names.slice(firstOwn).every((n) => n.startsWith('x_'))).toBe(true);
    expect(FOCUS_COLUMNS.filter((c) => c.since === null).every((c) => c.name.startsWith('x_'))).toBe(true);
  });

  it('drops the columns new in 1.3 for version 1.2, and keeps the deprecated ProviderName and PublisherName in both', () => {
    expect(columnsOf('1.3')).toEqual(expect.arrayContaining(['ServiceProviderName', 'HostProviderName']));
    expect(columnsOf('1.2')).not.toContain('ServiceProviderName');
    expect(columnsOf('1.2')).not.toContain('HostProviderName');
    for (const v of ['1.2', '1.3'] as const)
      expect(columnsOf(v)).toEqual(expect.arrayContaining(['ProviderName', 'PublisherName']));
    expect(columnsOf('1.3').length - columnsOf('1.2').length).toBe(2);
  });
});
