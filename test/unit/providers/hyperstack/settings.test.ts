import { describe, expect, it } from 'vitest';
import { hyperstackSettings } from '../../../../src/providers/hyperstack/settings.js';
import { schemaChecker } from '../../helpers/jsonSchema.js';

const credentials = schemaChecker(hyperstackSettings.credentials);

describe('hyperstackSettings', () => {
  it('accepts an apiKey', () => {
    expect(credentials({ apiKey: 'key' }).problems).toEqual([]);
  });

  it('requires the apiKey, non-empty', () => {
    expect(credentials({}).problems).toEqual(['required apiKey']);
    expect(credentials({ apiKey: '' }).problems).toEqual(['/apiKey minLength']);
  });

  it('does not take a token in place of the apiKey', () => {
    expect(credentials({ token: 'key' }).problems).toEqual(['required apiKey']);
  });

  it('says the key travels as the api_key header', () => {
    expect(hyperstackSettings.credentials).toMatchObject({
      properties: { apiKey: { description: 'Sent as the "api_key" header.' } },
    });
  });

  it('has no options', () => {
    expect(hyperstackSettings.options).toBeUndefined();
  });
});
