import { ErrorCode, isGatewayError } from '../errors.js';
import type { SourceErrorModel, SourceModel } from '../models.js';
import { logger } from '../logger.js';

/** Turns a failure of one source into a SourceError entry; unknown errors are masked and logged. */
export function toSourceError(source: SourceModel, error: unknown): SourceErrorModel {
  if (isGatewayError(error)) {
    return { source, code: error.code, message: error.message, retryable: error.extensions.retryable === true };
  }
  logger.error('unexpected error from source', { source: source.id, error });
  return { source, code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Unexpected error.', retryable: false };
}

/** One entry per (source, code), so a source failing for 30 accounts is reported once. */
export function dedupeSourceErrors(errors: SourceErrorModel[]): SourceErrorModel[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.source.id}|${e.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
