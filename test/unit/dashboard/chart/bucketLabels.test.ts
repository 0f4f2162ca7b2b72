import { describe, expect, it } from 'vitest';
import { axisLabel, bucketTitle } from '../../../../web/src/chart/bucketLabels.js';

describe('bucket labels', () => {
  it('put the year on the first day label and on each 1 January', () => {
    expect(axisLabel('2026-12-30T00:00:00Z', 0, 'DAY', 'UTC')).toBe('30 Dec\n2026');
    expect(axisLabel('2026-12-31T00:00:00Z', 1, 'DAY', 'UTC')).toBe('31 Dec');
    expect(axisLabel('2027-01-01T00:00:00Z', 2, 'DAY', 'UTC')).toBe('1 Jan\n2027');
    expect(axisLabel('2026-11-01T00:00:00Z', 3, 'MONTH', 'UTC')).toBe('Nov 2026');
  });
  it('read the bucket start in the view’s zone', () => {
    // Local midnight in Madrid is 23:00 UTC the day before.
    expect(axisLabel('2026-10-31T23:00:00Z', 1, 'DAY', 'Europe/Madrid')).toBe('1 Nov');
    expect(bucketTitle('2026-11-01T23:00:00Z', 'WEEK', 'Europe/Madrid')).toBe('Week of Mon, 2 Nov 2026');
  });
});
