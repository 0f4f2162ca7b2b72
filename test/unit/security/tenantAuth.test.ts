import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../../../src/config.js';
import { bearerDigest, createTenantAuth, keySha256, LOCAL_TENANT } from '../../../src/security/tenantAuth.js';

const TENANTS: TenantConfig[] = [
  { name: 'finance', keySha256: keySha256('fin-key-1'), sources: ['g8', 'kb'], scopes: ['read'] },
  { name: 'metering', keySha256: keySha256('meter-key'), sources: ['kb'], scopes: ['read', 'write'] },
] as TenantConfig[];

describe('keySha256', () => {
  it('is the key’s SHA-256 as 64 lower-case hex digits', () => {
    expect(keySha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('bearerDigest', () => {
  it('is the SHA-256 of the key in "Bearer <key>"', () => {
    expect(bearerDigest('Bearer abc')?.toString('hex')).toBe(keySha256('abc'));
  });

  it('takes the scheme in any case and tolerates tabs and trailing blanks', () => {
    expect(bearerDigest('bearer\tabc  ')?.toString('hex')).toBe(keySha256('abc'));
    expect(bearerDigest('BEARER abc')?.toString('hex')).toBe(keySha256('abc'));
  });

  it('is null without a header, for another scheme, a blank or spaced key, or a key over 512 characters', () => {
    expect(bearerDigest(undefined)).toBeNull();
    expect(bearerDigest('')).toBeNull();
    expect(bearerDigest('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerDigest('Bearer ')).toBeNull();
    expect(bearerDigest('Bearer two words')).toBeNull();
    expect(bearerDigest('Bearerabc')).toBeNull();
    expect(bearerDigest(`Bearer ${'k'.repeat(513)}`)).toBeNull();
    expect(bearerDigest(`Bearer ${'k'.repeat(512)}`)?.toString('hex')).toBe(
      createHash('sha256').update('k'.repeat(512)).digest('hex'),
    );
  });

  it('is null for a key with characters outside printable ASCII', () => {
    expect(bearerDigest('Bearer clé')).toBeNull();
  });
});

describe('createTenantAuth', () => {
  it('grants everyone the local tenant, writes included, when there are no tenants', () => {
    const auth = createTenantAuth(undefined);
    expect(auth(undefined)).toEqual({ kind: 'granted', tenant: LOCAL_TENANT });
    expect(auth('Bearer whatever')).toEqual({ kind: 'granted', tenant: LOCAL_TENANT });
    expect(LOCAL_TENANT).toEqual({ name: 'local', sources: null, canWrite: true });
  });

  it('grants the tenant whose key digest matches, with its sources and no write scope', () => {
    const result = createTenantAuth(TENANTS)('Bearer fin-key-1');
    expect(result).toEqual({
      kind: 'granted',
      tenant: { name: 'finance', sources: new Set(['g8', 'kb']), canWrite: false },
    });
  });

  it('lets a tenant with the "write" scope write', () => {
    const result = createTenantAuth(TENANTS)('Bearer meter-key');
    expect(result.kind === 'granted' && [result.tenant.name, result.tenant.canWrite]).toEqual(['metering', true]);
  });

  it('rejects a missing header as missing', () => {
    expect(createTenantAuth(TENANTS)(undefined)).toEqual({ kind: 'rejected', reason: 'missing' });
    expect(createTenantAuth(TENANTS)('')).toEqual({ kind: 'rejected', reason: 'missing' });
  });

  it('rejects an unknown key, or a header that is not a Bearer key, as invalid', () => {
    const auth = createTenantAuth(TENANTS);
    expect(auth('Bearer fin-key-2')).toEqual({ kind: 'rejected', reason: 'invalid' });
    expect(auth('Basic fin-key-1')).toEqual({ kind: 'rejected', reason: 'invalid' });
    expect(auth(keySha256('fin-key-1'))).toEqual({ kind: 'rejected', reason: 'invalid' });
  });

  it('grants the first listed tenant when two share a key digest', () => {
    const auth = createTenantAuth([...TENANTS, { ...TENANTS[0]!, name: 'shadow' }]);
    const result = auth('Bearer fin-key-1');
    expect(result.kind === 'granted' && result.tenant.name).toBe('finance');
  });
});
