import { ErrorCode, isGatewayError } from '../errors.js';
import type { CostRateLimiter } from '../security/costRateLimiter.js';
import type { GatewayMetrics } from './metrics.js';

/** The limiter with its RATE_LIMITED refusals counted; the limiter itself when metrics are off. */
export function observedRateLimiter(limiter: CostRateLimiter, metrics: GatewayMetrics | undefined): CostRateLimiter {
  if (!metrics) return limiter;
  return {
    async charge(tenant, cost) {
      try {
        await limiter.charge(tenant, cost);
      } catch (error) {
        if (isGatewayError(error) && error.code === ErrorCode.RATE_LIMITED) metrics.rateLimited(tenant);
        throw error;
      }
    },
    chargeExtra: (tenant, cost) => limiter.chargeExtra(tenant, cost),
  };
}
