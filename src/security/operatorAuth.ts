import { timingSafeEqual } from 'node:crypto';
import { bearerDigest } from './tenantAuth.js';

/**
 * Whether `Authorization: Bearer <key>` carries an operator key (metrics.operatorKeySha256).
 * Operators read the whole gateway's metrics — every tenant's operations and every source's
 * traffic — which no tenant may see. Compared like tenant keys: hashed, in constant time, with
 * no early exit.
 */
export function createOperatorAuth(keySha256: readonly string[]): (authorization: string | undefined) => boolean {
  const digests = keySha256.map((hex) => Buffer.from(hex, 'hex'));
  return (authorization) => {
    const presented = bearerDigest(authorization);
    if (!presented) return false;
    let found = false;
    for (const digest of digests) if (timingSafeEqual(presented, digest)) found = true;
    return found;
  };
}
