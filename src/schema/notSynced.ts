import { ErrorCode, GatewayError, isGatewayError } from '../errors.js';
import type { BucketedWindow } from '../providers/types.js';

/**
 * A report's live part of a source with a ledger, refused at the request's call ceiling, as what
 * it means to the reader: the ledger does not hold that part yet (not synced, or not final), and
 * how to get it — sync it, or ask less. Any other failure is returned as it is.
 */
export function notSyncedOr(error: unknown, sourceId: string, rest: BucketedWindow, maxCalls: number): unknown {
  if (!isGatewayError(error) || error.code !== ErrorCode.QUERY_TOO_COMPLEX) return error;
  const from = rest.buckets[0]?.start ?? rest.window.start;
  const to = rest.buckets.at(-1)?.end ?? from;
  return new GatewayError(
    `The ledger does not hold ${from} → ${to} of source "${sourceId}" yet (not synced, or not final), and reading it from the upstream reached the limit of ${maxCalls} upstream calls per request (limits.maxUpstreamCallsPerRequest); what the ledger holds is in the answer. Run \`billgraph sync --source ${sourceId} --since ${from.slice(0, 10)}\` (npm run sync), wait for the background sync (ledger.syncIntervalSeconds), or ask a shorter window.`,
    ErrorCode.LEDGER_NOT_SYNCED,
    { source: sourceId, notSyncedFrom: from, notSyncedUntil: to },
  );
}
