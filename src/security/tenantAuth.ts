import { createHash, timingSafeEqual } from 'node:crypto';
import type { TenantConfig } from '../config.js';

/** Who is calling, as resolvers and plugins see it. */
export interface Tenant {
  /** The config's tenant name, or "local" when the gateway runs without tenants. */
  readonly name: string;
  /** Source ids this caller may see; null means every configured source. */
  readonly sources: ReadonlySet<string> | null;
  /** May run mutations. */
  readonly canWrite: boolean;
}

/** Outcome of checking a request's Authorization header; a discriminated union on `kind`. */
export type Authentication =
  | { readonly kind: 'granted'; readonly tenant: Tenant }
  | { readonly kind: 'rejected'; readonly reason: 'missing' | 'invalid' };

/** The caller of a gateway without tenants (loopback only): everything, including writes. */
export const LOCAL_TENANT: Tenant = { name: 'local', sources: null, canWrite: true };

const BEARER = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i;

/**
 * Checks `Authorization: Bearer <key>` against the tenants' key digests. The presented key is
 * hashed and compared with every digest in constant time (no early exit), so neither the key nor
 * which tenant it is close to can be learned from response times. Without tenants every caller
 * is the local tenant (the config refuses that unless the gateway is bound to loopback).
 */
export function createTenantAuth(
  tenants: readonly TenantConfig[] | undefined,
): (authorization: string | undefined) => Authentication {
  if (!tenants) return () => ({ kind: 'granted', tenant: LOCAL_TENANT });
  const known = tenants.map((t) => ({
    digest: Buffer.from(t.keySha256, 'hex'),
    tenant: { name: t.name, sources: new Set(t.sources), canWrite: t.scopes.includes('write') } satisfies Tenant,
  }));
  return (authorization) => {
    const presented = bearerDigest(authorization);
    if (!presented) return { kind: 'rejected', reason: authorization ? 'invalid' : 'missing' };
    let found: Tenant | null = null;
    for (const entry of known) if (timingSafeEqual(presented, entry.digest) && !found) found = entry.tenant;
    return found ? { kind: 'granted', tenant: found } : { kind: 'rejected', reason: 'invalid' };
  };
}

/** The SHA-256 of the key in `Authorization: Bearer <key>`; null when there is no such header. */
export function bearerDigest(authorization: string | undefined): Buffer | null {
  const match = authorization ? BEARER.exec(authorization) : null;
  return match ? createHash('sha256').update(match[1]!, 'utf8').digest() : null;
}

/** The digest to put in a tenant's `keySha256`. */
export const keySha256 = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
