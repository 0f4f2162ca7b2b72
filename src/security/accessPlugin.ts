import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { Context } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { CostRateLimiter } from './costRateLimiter.js';
import { LOCAL_TENANT } from './tenantAuth.js';

/**
 * What a tenant may do, checked once the operation is known and before anything executes:
 * mutations need the "write" scope (FORBIDDEN, HTTP 403, no upstream call), and every operation
 * of a tenant is charged its estimated cost (RATE_LIMITED, HTTP 429 + Retry-After).
 */
/** Cost units of one upstream call, as the cost estimate counts it (docs/limits.md). */
const UPSTREAM_CALL_COST = 10;

export function accessPlugin(options: {
  rateLimiter: CostRateLimiter;
  costOf: (ctx: Context) => number;
  maxCost: number;
}): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let charged = 0;
      return {
        async didResolveOperation({ operation, contextValue }) {
          const { tenant } = contextValue;
          if (operation?.operation === OperationTypeNode.MUTATION && !tenant.canWrite) {
            throw new GatewayError(
              `Tenant "${tenant.name}" may only read; mutations need a key whose tenant has the "write" scope.`,
              ErrorCode.FORBIDDEN,
              {
                http: { status: 403 },
              },
            );
          }
          // The keyless local mode (loopback only, one user) has no tenant to budget.
          if (tenant === LOCAL_TENANT) return;
          const cost = options.costOf(contextValue);
          // Over maxCost the cost plugin refuses the operation; nothing runs, so nothing is charged.
          if (cost > options.maxCost) return;
          await options.rateLimiter.charge(tenant.name, cost);
          charged = Math.max(1, cost);
        },
        // The estimate assumes list sizes; the upstream calls actually made are known afterwards.
        // Work beyond what was charged is added to the tenant's window, so a low estimate cannot
        // buy more than the budget.
        async willSendResponse({ contextValue }) {
          if (!charged || contextValue.tenant === LOCAL_TENANT) return;
          await options.rateLimiter.chargeExtra(
            contextValue.tenant.name,
            contextValue.scope.upstreamCalls * UPSTREAM_CALL_COST - charged,
          );
        },
      };
    },
  };
}
