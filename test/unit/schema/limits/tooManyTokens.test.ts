import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { tooManyTokens } from '../../../../src/schema/limits/tooManyTokens.js';

describe('tooManyTokens', () => {
  it("recognises graphql-js's own token-limit message and names the setting", () => {
    // Pinned against the installed graphql-js, so an upgrade that rewords it fails here, not in production.
    let message = '';
    try {
      parse(`{ sources { ${'id '.repeat(50)} } }`, { maxTokens: 20 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(tooManyTokens(message)).toEqual({
      limit: 20,
      message: 'The document has more than 20 tokens; the limit is 20 (limits.maxTokens). Send a shorter query.',
    });
  });

  it('leaves every other syntax error alone', () => {
    expect(tooManyTokens('Syntax Error: Expected Name, found "}".')).toBeNull();
  });
});
