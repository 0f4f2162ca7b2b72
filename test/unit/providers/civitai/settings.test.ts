import { describe, expect, it } from 'vitest';
import { civitaiSettings } from '../../../../src/providers/civitai/settings.js';
import { schemaChecker } from '../../helpers/jsonSchema.js';

const credentials = schemaChecker(civitaiSettings.credentials);

describe('civitaiSettings', () => {
  it('accepts an apiKey', () => {
    expect(credentials({ apiKey: 'tok' }).problems).toEqual([]);
  });

  it('requires the apiKey', () => {
    expect(credentials({}).problems).toEqual(['required apiKey']);
  });

  it('refuses an empty apiKey or one that is not a string', () => {
    expect(credentials({ apiKey: '' }).problems).toEqual(['/apiKey minLength']);
    expect(credentials({ apiKey: 7 }).problems).toEqual(['/apiKey type']);
  });

  it('says how the key is sent', () => {
    expect(civitaiSettings.credentials).toMatchObject({
      properties: { apiKey: { description: 'Civitai orchestration token, sent as "Authorization: Bearer <apiKey>".' } },
    });
  });

  it('has no options', () => {
    expect(civitaiSettings.options).toBeUndefined();
  });
});
