import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { APOLLO_REQUEST_CODES, ErrorCode, isGatewayError, withoutHttp } from '../errors.js';
import { boundedMessage } from '../lib/boundedMessage.js';
import { logger } from '../logger.js';
import { tooManyTokens } from '../schema/limits/tooManyTokens.js';

/**
 * Whether formatError masks this error as INTERNAL_SERVER_ERROR: it is neither billgraph's own
 * (directly or wrapped by graphql-js) nor one of Apollo's request-level errors.
 */
export function isUnexpectedError(error: unknown): boolean {
  if (isGatewayError(unwrapResolverError(error)) || isGatewayError((error as GraphQLError)?.originalError))
    return false;
  const code = (error as GraphQLError)?.extensions?.code;
  return !(typeof code === 'string' && APOLLO_REQUEST_CODES.has(code));
}

/** The real cause of an error: graphql-js wraps what a resolver threw in a GraphQLError. */
export const causeOf = (error: unknown): unknown => {
  const unwrapped = unwrapResolverError(error);
  return unwrapped instanceof Error && (unwrapped as GraphQLError).originalError
    ? (unwrapped as GraphQLError).originalError
    : unwrapped;
};

/** Errors formatError has already seen logged by the plugin, so it does not log them twice. */
const loggedErrors = new WeakSet<object>();

/** Tells formatError that `error` is logged already (with its request id), so it does not log it again. */
export function noteLogged(error: object): void {
  loggedErrors.add(error);
}

/**
 * Keeps billgraph's own errors and Apollo's request errors; masks everything else as
 * "Unexpected error." so no upstream URL, credential or stack can reach a client.
 */
export function formatError(formattedIn: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const out = formatErrorUnbounded(formattedIn, error);
  // Every message may quote the caller's input (graphql-js quotes a variable whole): bound it.
  return { ...out, message: boundedMessage(out.message) };
}

/** A stack overflow is the engine's, never the caller's to read. */
const STACK_OVERFLOW = /Maximum call stack size exceeded/;

function formatErrorUnbounded(formattedIn: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // hideSchemaDetailsFromClientErrors covers validation only; variable errors carry hints too.
  const formatted = { ...formattedIn, message: withoutSchemaHints(formattedIn.message) };
  const code = formatted.extensions?.code;
  // graphql-js's parser recurses once per nested list, input object or selection: a document a
  // few thousand brackets deep overflows the stack, and Apollo reports the RangeError as a parse error.
  if (code === 'GRAPHQL_PARSE_FAILED' && STACK_OVERFLOW.test(formatted.message))
    return {
      message:
        'The document nests lists, input objects or selections too deeply to parse. Selections may be limits.maxDepth fields deep (12 by default) and no input of the schema nests more than a few levels: flatten the document.',
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX },
    };
  const original = unwrapResolverError(error);
  const base = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isGatewayError(original)) {
    return { message: original.message, ...base, extensions: withoutHttp(original.extensions) };
  }
  // Variable coercion and validation wrap our own errors (scalars, depth limit): keep graphql-js's
  // message, which names the variable and path, and restore our code.
  const wrapped = (error as GraphQLError)?.originalError;
  if (isGatewayError(wrapped))
    return { message: formatted.message, ...base, extensions: withoutHttp(wrapped.extensions) };
  const tokens = code === 'GRAPHQL_PARSE_FAILED' ? tooManyTokens(formatted.message) : null;
  if (tokens) return { message: tokens.message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } };
  if (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code) && !STACK_OVERFLOW.test(formatted.message)) {
    return { message: formatted.message, ...base, extensions: { code } };
  }
  // The plugin logs unexpected errors of a request with its id; anything reaching here otherwise is logged now.
  if (!(error instanceof Object && loggedErrors.has(error)))
    logger.error('unexpected error', { error: causeOf(error) });
  return { message: 'Unexpected error.', ...base, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** Drops graphql-js's "Did you mean …?" suggestions, which reveal schema names to any caller. */
export const withoutSchemaHints = (message: string): string => message.replace(/ ?Did you mean [^?]*\?/g, '').trimEnd();
