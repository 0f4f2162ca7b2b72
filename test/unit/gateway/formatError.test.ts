import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadUserInputError, GatewayError, ErrorCode } from '../../../src/errors.js';
import {
  causeOf,
  formatError,
  isUnexpectedError,
  noteLogged,
  withoutSchemaHints,
} from '../../../src/gateway/formatError.js';
import * as server from '../../../src/server.js';
import { captureLogs } from './logCapture.js';

/** What graphql-js makes of an error a resolver threw. */
const fromResolver = (error: Error) => new GraphQLError(error.message, { originalError: error, path: ['a', 0, 'b'] });
const formattedOf = (error: GraphQLError): GraphQLFormattedError => error.toJSON();

describe('formatError', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it("keeps billgraph's own error: its message, path and code, without the http extension", () => {
    const error = fromResolver(new GatewayError('Too many.', ErrorCode.RATE_LIMITED, { http: { status: 429 } }));
    expect(formatError(formattedOf(error), error)).toEqual({
      message: 'Too many.',
      path: ['a', 0, 'b'],
      extensions: { code: 'RATE_LIMITED' },
    });
    expect(logs.lines).toEqual([]);
  });

  it('masks anything else as "Unexpected error." with INTERNAL_SERVER_ERROR, and logs its cause', () => {
    const error = fromResolver(new Error('connect ECONNREFUSED https://secret.example/api?token=abc'));
    const out = formatError(formattedOf(error), error);
    expect(out).toEqual({
      message: 'Unexpected error.',
      path: ['a', 0, 'b'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logs.lines.map((l) => l.message)).toEqual(['unexpected error']);
    expect(JSON.stringify(logs.lines)).not.toContain('secret.example');
  });

  it('does not log an error the plugin already logged with its request id', () => {
    const error = fromResolver(new Error('boom'));
    noteLogged(error);
    expect(formatError(formattedOf(error), error).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logs.lines).toEqual([]);
  });

  it("keeps graphql-js's message for a variable error wrapping our own, with our code", () => {
    const inner = new BadUserInputError('not a date', 'window');
    const error = new GraphQLError('Variable "$w" got invalid value "x"; not a date', { originalError: inner });
    expect(formatError(formattedOf(error), error)).toEqual({
      message: 'Variable "$w" got invalid value "x"; not a date',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'window' },
    });
  });

  it("passes Apollo's request-level codes through and drops schema hints from their messages", () => {
    const formatted = {
      message: 'Cannot query field "acount" on type "Query". Did you mean "account"?',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(formatError(formatted, new GraphQLError(formatted.message))).toEqual({
      message: 'Cannot query field "acount" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('answers a parse that overflowed the stack with QUERY_TOO_COMPLEX, not the engine message', () => {
    const formatted = {
      message: 'Syntax Error: Maximum call stack size exceeded',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    };
    const out = formatError(formatted, new GraphQLError(formatted.message));
    expect(out.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
    expect(out.message).toMatch(/^The document nests lists, input objects or selections too deeply to parse/);
  });

  it('bounds a long message that quotes the caller input', () => {
    const long = `Variable "$x" got invalid value "${'y'.repeat(5000)}".`;
    const out = formatError({ message: long, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError(long));
    expect(out.message.length).toBeLessThan(long.length);
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('is what src/server.ts still exports, with requestIdOf beside it', () => {
    expect(server.formatError).toBe(formatError);
    expect(server.isUnexpectedError).toBe(isUnexpectedError);
    expect(server.withoutSchemaHints).toBe(withoutSchemaHints);
    expect(typeof server.requestIdOf).toBe('function');
  });
});

describe('isUnexpectedError and causeOf', () => {
  it("counts neither billgraph's errors nor Apollo's request errors as unexpected", () => {
    expect(isUnexpectedError(fromResolver(new BadUserInputError('bad')))).toBe(false);
    expect(isUnexpectedError(new GraphQLError('x', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }))).toBe(false);
    expect(isUnexpectedError(fromResolver(new TypeError('undefined is not a function')))).toBe(true);
  });

  it('finds the error a resolver threw inside the GraphQLError graphql-js wrapped it in', () => {
    const thrown = new RangeError('deep');
    expect(causeOf(fromResolver(thrown))).toBe(thrown);
    expect(causeOf(thrown)).toBe(thrown);
  });
});

describe('withoutSchemaHints', () => {
  it('drops every "Did you mean …?" suggestion and the space before it', () => {
    expect(
      withoutSchemaHints('Unknown argument "x". Did you mean "y" or "z"? Unknown type "T". Did you mean "U"?'),
    ).toBe('Unknown argument "x". Unknown type "T".');
    expect(withoutSchemaHints('No hint here.')).toBe('No hint here.');
  });
});
