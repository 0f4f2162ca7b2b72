import { describe, expect, it } from 'vitest';
import { focusUnitOf } from '../../../../src/export/focus/focusUnit.js';

describe('focusUnitOf', () => {
  it.each([
    ['CU-hours', 'CU-Hours'],
    ['storage-gb-day', 'Storage GB-Days'],
    ['api-calls', 'Api Calls'],
    ['egress-gb', 'Egress GB'],
    ['events', 'Events'],
    ['hours', 'Hours'],
    ['USD', 'USD'],
    ['memory_gb_hours', 'Memory GB-Hours'],
  ])('writes %s as %s, in FOCUS UnitFormat', (unit, focus) => {
    expect(focusUnitOf(unit)).toBe(focus);
  });

  it('falls back to "Units" for a unit with no word in it', () => {
    expect(focusUnitOf('%%')).toBe('Units');
  });
});
