import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { serveMetrics } from '../observability/metricsEndpoint.js';
import { createOperatorAuth } from '../security/operatorAuth.js';
import type { Authentication } from '../security/tenantAuth.js';
import { refuseUnauthenticated, sendError } from './httpAnswers.js';

export interface MetricsRouteOptions {
  readonly metrics: GatewayMetrics;
  /** Whether tenants are configured: only then does reading the metrics need an operator key. */
  readonly hasTenants: boolean;
  /** metrics.operatorKeySha256 */
  readonly operatorKeySha256: readonly string[];
  readonly authenticate: (authorization: string | undefined) => Authentication;
}

/** The handler of the metrics path on the gateway's own port. */
export type MetricsRoute = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

/**
 * Metrics on the gateway's own port. They name every tenant's operations and every source's
 * traffic, so with tenants only an operator key reads them; a tenant's own key gets 403.
 */
export function createMetricsRoute({
  metrics,
  hasTenants,
  operatorKeySha256,
  authenticate,
}: MetricsRouteOptions): MetricsRoute {
  const isOperator = createOperatorAuth(operatorKeySha256);
  return async (req, res, requestId) => {
    if (hasTenants && !isOperator(req.headers.authorization)) {
      if (authenticate(req.headers.authorization).kind === 'granted') {
        req.resume();
        return sendError(
          res,
          403,
          'The metrics are for operators: send an operator key (metrics.operatorKeySha256), not a tenant key.',
          ErrorCode.FORBIDDEN,
          requestId,
        );
      }
      return refuseUnauthenticated(
        req,
        res,
        'The metrics need an operator key: send "Authorization: Bearer <key>".',
        requestId,
      );
    }
    return serveMetrics(req, res, metrics);
  };
}
