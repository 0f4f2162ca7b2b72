import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as errors from '../../../src/errors.js';
import { BadUserInputError, ErrorCode, GatewayError } from '../../../src/lib/gatewayError.js';

describe('src/lib/gatewayError.ts', () => {
  it('gives a BadUserInputError the BAD_USER_INPUT code and names the argument in its extensions', () => {
    const error = new BadUserInputError('window.from must be before window.to.', 'window');
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'window' });
    expect(error.message).toBe('window.from must be before window.to.');
    expect(error.name).toBe('GatewayError');
  });

  it('leaves argumentName out when no argument is named', () => {
    expect(new BadUserInputError('bad').extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('makes a BadUserInputError a GatewayError and a GraphQLError, so formatError keeps its message', () => {
    const error = new BadUserInputError('bad');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(errors.isGatewayError(error)).toBe(true);
  });

  it('puts the code first and keeps extra extensions beside it', () => {
    const error = new GatewayError('busy', ErrorCode.RATE_LIMITED, { retryAfter: 3 });
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 3 });
    expect(Object.keys(error.extensions)[0]).toBe('code');
  });

  it('is what src/errors.ts re-exports: the same classes and code set, not copies', () => {
    expect(errors.GatewayError).toBe(GatewayError);
    expect(errors.BadUserInputError).toBe(BadUserInputError);
    expect(errors.ErrorCode).toBe(ErrorCode);
    expect(new errors.NotFoundError('gone')).toBeInstanceOf(GatewayError);
  });
});
