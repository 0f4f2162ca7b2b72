import { describe, expect, it } from 'vitest';
import { killbillSettings } from '../../../../src/providers/killbill/settings.js';
import { schemaChecker } from '../../helpers/jsonSchema.js';

const credentials = schemaChecker(killbillSettings.credentials);
const options = schemaChecker(killbillSettings.options!);

const ALL = { username: 'admin', password: 'password', apiKey: 'bob', apiSecret: 'lazar' };

describe('killbillSettings credentials', () => {
  it('accepts username, password, apiKey and apiSecret', () => {
    expect(credentials(ALL).problems).toEqual([]);
  });

  it('requires all four, naming each missing one', () => {
    expect(credentials({}).problems).toEqual([
      'required username',
      'required password',
      'required apiKey',
      'required apiSecret',
    ]);
    const { apiSecret: _apiSecret, ...withoutSecret } = ALL;
    expect(credentials(withoutSecret).problems).toEqual(['required apiSecret']);
  });

  it('refuses an empty value of any of them', () => {
    expect(credentials({ ...ALL, password: '', apiKey: '' }).problems).toEqual([
      '/password minLength',
      '/apiKey minLength',
    ]);
  });
});

describe('killbillSettings options', () => {
  it('defaults createdBy to "billgraph" and pageSize to 100', () => {
    expect(options({})).toEqual({ value: { createdBy: 'billgraph', pageSize: 100 }, problems: [] });
  });

  it('keeps values it is given', () => {
    expect(options({ createdBy: 'metering', pageSize: 1000 })).toEqual({
      value: { createdBy: 'metering', pageSize: 1000 },
      problems: [],
    });
  });

  it('refuses a createdBy that is empty, blank or longer than 50 characters', () => {
    expect(options({ createdBy: '' }).problems).toEqual(['/createdBy minLength', '/createdBy pattern']);
    expect(options({ createdBy: '   ' }).problems).toEqual(['/createdBy pattern']);
    expect(options({ createdBy: 'x'.repeat(50) }).problems).toEqual([]);
    expect(options({ createdBy: 'x'.repeat(51) }).problems).toEqual(['/createdBy maxLength']);
  });

  it('refuses a pageSize outside 1–1000 or not whole', () => {
    expect(options({ pageSize: 0 }).problems).toEqual(['/pageSize minimum']);
    expect(options({ pageSize: 1001 }).problems).toEqual(['/pageSize maximum']);
    expect(options({ pageSize: 2.5 }).problems).toEqual(['/pageSize type']);
    expect(options({ pageSize: 1 }).problems).toEqual([]);
  });
});
