import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { ErrorCode, GatewayError } from '../errors.js';
import { HeaderMap } from '@apollo/server';

/** Charges each tenant the estimated cost of its requests against a budget per window. */
export interface CostRateLimiter {
  /** Resolves when `tenant` may spend `cost`; rejects with a RATE_LIMITED GatewayError (HTTP 429 + Retry-After) otherwise. */
  charge(tenant: string, cost: number): Promise<void>;
  /** Adds work done beyond what was charged (an estimate can be low); never rejects, the next request pays. */
  chargeExtra(tenant: string, cost: number): Promise<void>;
}

/**
 * In memory for one process (rate-limiter-flexible's RateLimiterMemory); the same library's
 * Redis store is the drop-in for a shared limit across replicas.
 */
export function createCostRateLimiter(options: Config['rateLimit']): CostRateLimiter {
  const limiter = new RateLimiterMemory({ points: options.costPerWindow, duration: options.windowSeconds });
  return {
    async charge(tenant, cost) {
      const points = Math.max(1, Math.ceil(cost));
      if (points > options.costPerWindow) {
        // Waiting would never help: the request alone is larger than the whole budget.
        throw new GatewayError(
          `This request costs ${points}, more than tenant "${tenant}"'s whole budget of ${options.costPerWindow} per ${options.windowSeconds} s; split it into smaller queries.`,
          ErrorCode.QUERY_TOO_COMPLEX,
          { cost: points, http: { status: 400 } },
        );
      }
      try {
        await limiter.consume(tenant, points);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw rateLimited(tenant, options, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), points);
      }
    },
    async chargeExtra(tenant, cost) {
      const points = Math.ceil(cost);
      if (points > 0) await limiter.penalty(tenant, points);
    },
  };
}

function rateLimited(tenant: string, options: Config['rateLimit'], retryAfter: number, cost: number): GatewayError {
  const headers = new HeaderMap([['retry-after', String(retryAfter)]]);
  return new GatewayError(
    `Tenant "${tenant}" has spent its query budget of ${options.costPerWindow} per ${options.windowSeconds} s (this request costs ${cost}); retry after ${retryAfter} s or send cheaper queries.`,
    ErrorCode.RATE_LIMITED,
    { retryAfter, http: { status: 429, headers } },
  );
}
