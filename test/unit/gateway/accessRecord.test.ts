import { describe, expect, it } from 'vitest';
import { accessRecordOf, boundedOperationName, trackAccess } from '../../../src/gateway/accessRecord.js';
import { createRequestScope } from '../../../src/requestScope.js';

describe('access records', () => {
  it('starts a request as anonymous with no codes, and finds the same record again by its scope', () => {
    const scope = createRequestScope({ requestId: 'r1' });
    const record = trackAccess(scope);
    expect(record).toEqual({ operation: 'anonymous', operationType: undefined, codes: new Set(), stamped: false });
    record.codes.add('BAD_REQUEST');
    expect(accessRecordOf(scope)).toBe(record);
  });

  it('has no record for a scope the HTTP layer did not track', () => {
    expect(accessRecordOf(createRequestScope())).toBeUndefined();
  });

  it('bounds an operation name to 100 characters and names a missing one "anonymous"', () => {
    expect(boundedOperationName('Q'.repeat(300))).toBe('Q'.repeat(100));
    expect(boundedOperationName(null)).toBe('anonymous');
    expect(boundedOperationName('')).toBe('anonymous');
    expect(boundedOperationName('Usage')).toBe('Usage');
  });
});
