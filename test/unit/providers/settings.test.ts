import { describe, expect, it } from 'vitest';
import { nonEmptyString } from '../../../src/providers/settings.js';
import { schemaChecker } from '../helpers/jsonSchema.js';

describe('nonEmptyString', () => {
  it('is a JSON Schema string of at least one character, with its description', () => {
    expect(nonEmptyString('Sent as the "api_key" header.')).toEqual({
      type: 'string',
      minLength: 1,
      description: 'Sent as the "api_key" header.',
    });
  });

  it('accepts any non-empty string and refuses an empty one or a non-string', () => {
    const check = schemaChecker(nonEmptyString('A key.'));
    expect(check('k').problems).toEqual([]);
    expect(check(' ').problems).toEqual([]);
    expect(check('').problems).toEqual(['minLength']);
    expect(check(42).problems).toEqual(['type']);
  });
});
