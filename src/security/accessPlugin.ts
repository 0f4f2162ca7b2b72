import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { CostRateLimiter } from './costRateLimiter.js';
import { LOCAL_TENANT } from './tenantAuth.js';

/**
 * What a tenant may do, checked once the operation is known and before anything executes:
 * mutations need the "write" scope (FORBIDDEN, HTTP 403, no upstream call), and every operation
 * of a tenant is charged its estimated cost (RATE_LIMITED, HTTP 429 + Retry-After).
 */
export function accessPlugin(options: { rateLimiter: CostRateLimiter; costOf: (ctx: Context) => number }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const { tenant } = contextValue;
          if (operation?.operation === 'mutation' && !tenant.canWrite) {
            throw new GatewayError(`Tenant "${tenant.name}" may only read; mutations need a key whose tenant has the "write" scope.`, ErrorCode.FORBIDDEN, {
              http: { status: 403 },
            });
          }
          // The keyless local mode (loopback only, one user) has no tenant to budget.
          if (tenant !== LOCAL_TENANT) await options.rateLimiter.charge(tenant.name, options.costOf(contextValue));
        },
      };
    },
  };
}
