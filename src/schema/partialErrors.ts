import type { GraphQLFormattedError, GraphQLResolveInfo } from 'graphql';
import { responsePathAsArray } from 'graphql';
import { ErrorCode, isGatewayError, withoutHttp } from '../errors.js';
import { logger } from '../logger.js';
import type { SourceErrorModel, SourceModel } from '../models.js';

type Path = readonly (string | number)[];

/**
 * The parts of one answer that a source could not give, kept while the operation runs and
 * appended to the response's top-level `errors` when it is sent (server.ts). A field that
 * gathers from many sources (a listing, a report) answers with what the others gave instead of
 * failing whole; without this, a client that did not select the structured `errors` field
 * would read a partial answer as a complete one.
 *
 * One entry per field path, source and code: a source failing for 30 accounts or 365 buckets
 * of the same field is reported once.
 */
export class PartialErrors {
  private readonly entries = new Map<string, GraphQLFormattedError>();

  /**
   * Records that `source` could not give its part of the field at `info`'s path, and returns
   * the same failure as the field's structured SourceError entry (they always say the same).
   */
  report(info: Pick<GraphQLResolveInfo, 'path'>, source: SourceModel, error: unknown): SourceErrorModel {
    const entry = toSourceError(source, error);
    this.add(responsePathAsArray(info.path), entry, error);
    return entry;
  }

  /** Whether anything was recorded: the answer is partial. */
  get size(): number {
    return this.entries.size;
  }

  /** The recorded failures as top-level GraphQL errors, in the order they happened. */
  formatted(): GraphQLFormattedError[] {
    return [...this.entries.values()];
  }

  private add(path: Path, entry: SourceErrorModel, error: unknown): void {
    const key = `${path.join('.')}|${entry.source.id}|${entry.code}`;
    if (this.entries.has(key)) return;
    // Upstream errors already carry provider, source and retryable; a gateway-side refusal (a
    // granularity the source cannot answer, a ceiling) gets them here, so every entry names its source.
    const own = isGatewayError(error) ? withoutHttp(error.extensions) : {};
    this.entries.set(key, {
      message: `Source "${entry.source.id}" is missing from this answer: ${entry.message}`,
      path: [...path],
      extensions: {
        ...own,
        code: entry.code,
        source: entry.source.id,
        provider: entry.source.provider,
        retryable: entry.retryable,
        // Always present, null when unknown: the SourceError entry's fields, for clients that read only `errors`.
        upstreamStatus: entry.upstreamStatus ?? null,
        causeCode: entry.causeCode ?? null,
        retryAt: entry.retryAt ?? null,
        partial: true,
      },
    });
  }
}

/** Turns a failure of one source into a SourceError entry; unknown errors are masked and logged. */
export function toSourceError(source: SourceModel, error: unknown): SourceErrorModel {
  if (isGatewayError(error)) {
    const { retryable, upstreamStatus, causeCode, retryAt } = error.extensions;
    return {
      source,
      code: error.code,
      message: error.message,
      retryable: retryable === true,
      upstreamStatus: typeof upstreamStatus === 'number' ? upstreamStatus : null,
      causeCode: typeof causeCode === 'string' ? causeCode : null,
      retryAt: typeof retryAt === 'string' ? retryAt : null,
    };
  }
  logger.error('unexpected error from source', { source: source.id, error });
  return {
    source,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: 'Unexpected error.',
    retryable: false,
    upstreamStatus: null,
    causeCode: null,
    retryAt: null,
  };
}

/** One entry per (source, code), so a source failing for 30 accounts is reported once. */
export function dedupeSourceErrors(errors: readonly SourceErrorModel[]): SourceErrorModel[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.source.id}|${e.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
