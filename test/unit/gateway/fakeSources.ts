import type { GatewaySource } from '../../../src/context.js';
import { UpstreamError } from '../../../src/errors.js';
import type { Authentication } from '../../../src/security/tenantAuth.js';

export interface FakeSourceState {
  breaker: 'closed' | 'open' | 'half-open';
  retryAt?: number;
  /** What ping does: resolve, or throw this. */
  pingError?: Error;
  pings: number;
  closed: number;
}

/** A source whose breaker and ping the test sets. */
export function fakeSource(id: string, provider = 'hyperstack'): { source: GatewaySource; state: FakeSourceState } {
  const state: FakeSourceState = { breaker: 'closed', pings: 0, closed: 0 };
  const runtime = {
    source: { id, provider },
    resilience: () => ({ breaker: state.breaker, ...(state.retryAt !== undefined ? { retryAt: state.retryAt } : {}) }),
    ping: async () => {
      state.pings++;
      if (state.pingError) throw state.pingError;
    },
    close: async () => {
      state.closed++;
    },
  };
  return { source: { runtime, module: {} } as unknown as GatewaySource, state };
}

export const upstreamDown = (source: string) =>
  new UpstreamError('Hyperstack is unavailable.', 'UPSTREAM_UNAVAILABLE', {
    provider: 'HYPERSTACK',
    source,
    retryable: true,
  });

/** Keys: "tenant-a" sees source "a"; "operator" is no tenant's key; anything else is missing or invalid. */
export const fakeAuth = (authorization: string | undefined): Authentication =>
  authorization === 'Bearer tenant-a'
    ? { kind: 'granted', tenant: { name: 'a', sources: new Set(['a']), canWrite: false } }
    : { kind: 'rejected', reason: authorization ? 'invalid' : 'missing' };
