import { describe, expect, it } from 'vitest';
import { openvcloudSettings } from '../../../../src/providers/openvcloud/settings.js';
import { schemaChecker } from '../../helpers/jsonSchema.js';

const credentials = schemaChecker(openvcloudSettings.credentials);

describe('openvcloudSettings', () => {
  it('accepts a token alone', () => {
    expect(credentials({ token: 'jwt' }).problems).toEqual([]);
  });

  it('accepts the legacy username and password instead', () => {
    expect(credentials({ username: 'u', password: 'p' }).problems).toEqual([]);
  });

  it('refuses a username without its password', () => {
    expect(credentials({ username: 'u' }).problems).toEqual(['required token', 'required password', 'anyOf']);
  });

  it('refuses nothing at all', () => {
    expect(credentials({}).problems).toEqual(['required token', 'required username', 'required password', 'anyOf']);
  });

  it('refuses an empty token even beside a valid login', () => {
    expect(credentials({ token: '', username: 'u', password: 'p' }).problems).toEqual(['/token minLength']);
  });

  it('has no options', () => {
    expect(openvcloudSettings.options).toBeUndefined();
  });
});
