import type { RequestScope } from '../requestScope.js';

/** What one GraphQL request's access line reports, filled in by the HTTP layer and the Apollo plugin. */
export interface AccessRecord {
  /** The resolved operation's name, or "anonymous" (never the query text). */
  operation: string;
  /** query | mutation | subscription, once resolved. */
  operationType: string | undefined;
  readonly codes: Set<string>;
  /** Set once the plugin has stamped the request id into the response's errors. */
  stamped: boolean;
}

const accessRecords = new WeakMap<RequestScope, AccessRecord>();

/** A fresh record for the request of `scope`, found again by accessRecordOf (the Apollo plugin). */
export function trackAccess(scope: RequestScope): AccessRecord {
  const record: AccessRecord = { operation: 'anonymous', operationType: undefined, codes: new Set(), stamped: false };
  accessRecords.set(scope, record);
  return record;
}

/** The record trackAccess made for `scope`; undefined for a request the HTTP layer did not track. */
export const accessRecordOf = (scope: RequestScope): AccessRecord | undefined => accessRecords.get(scope);

/** Operation names are GraphQL Names already; still bound what a line can carry. */
export const boundedOperationName = (name: string | null | undefined): string =>
  name ? name.slice(0, 100) : 'anonymous';
