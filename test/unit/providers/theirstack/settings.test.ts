import { describe, expect, it } from 'vitest';
import { theirstackSettings } from '../../../../src/providers/theirstack/settings.js';
import { schemaChecker } from '../../helpers/jsonSchema.js';

const credentials = schemaChecker(theirstackSettings.credentials);
const options = schemaChecker(theirstackSettings.options!);

describe('theirstackSettings', () => {
  it('accepts a token and requires it, non-empty', () => {
    expect(credentials({ token: 'key' }).problems).toEqual([]);
    expect(credentials({}).problems).toEqual(['required token']);
    expect(credentials({ token: '' }).problems).toEqual(['/token minLength']);
  });

  it('defaults missingDays to "error", never a silent zero', () => {
    expect(options({})).toEqual({ value: { missingDays: 'error' }, problems: [] });
  });

  it('accepts "zero" for missingDays', () => {
    expect(options({ missingDays: 'zero' })).toEqual({ value: { missingDays: 'zero' }, problems: [] });
  });

  it('refuses any other missingDays', () => {
    expect(options({ missingDays: 'skip' }).problems).toEqual(['/missingDays enum']);
    expect(options({ missingDays: 0 }).problems).toEqual(['/missingDays type', '/missingDays enum']);
  });
});
