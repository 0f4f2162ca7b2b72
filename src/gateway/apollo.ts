import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import { createGatewaySchema } from '../gatewaySchema.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { observedRateLimiter } from '../observability/observedRateLimiter.js';
import { aliasLimitRule } from '../schema/limits/aliasLimit.js';
import { costLimitPlugin } from '../schema/limits/costLimitPlugin.js';
import { readCostTable } from '../schema/limits/costTable.js';
import { depthLimitRule } from '../schema/limits/depthLimit.js';
import { directiveLimitRule } from '../schema/limits/directiveLimit.js';
import { ceilingPlugin } from '../schema/limits/objectCeiling.js';
import { accessPlugin } from '../security/accessPlugin.js';
import { createCostRateLimiter } from '../security/costRateLimiter.js';
import { formatError } from './formatError.js';
import { observabilityPlugin } from './observabilityPlugin.js';

export interface ApolloOptions {
  readonly config: Pick<Config, 'limits' | 'introspection' | 'rateLimit'>;
  readonly metrics: GatewayMetrics | undefined;
  /** The server Apollo drains on stop. */
  readonly httpServer: Server;
  /** How long stop waits for in-flight requests, in milliseconds. */
  readonly stopGracePeriodMs: number;
}

/**
 * Apollo Server over the gateway schema, with the query limits (validation rules and plugins),
 * the tenants' rate limit, our error masking and our access lines; Apollo's own extras (landing
 * page, usage reporting, cache control, signal handling) off. Not started: the caller starts it.
 */
export function createApollo({ config, metrics, httpServer, stopGracePeriodMs }: ApolloOptions): ApolloServer<Context> {
  const schema = createGatewaySchema();
  const { limits } = config;
  return new ApolloServer<Context>({
    schema,
    // graphql-js stops lexing past the limit, so a token flood costs no more than the limit.
    parseOptions: { maxTokens: limits.maxTokens },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    // Apollo's CSRF prevention: a GET (or a POST of a type a form could send) runs only with a
    // header no simple cross-site request can carry, e.g. `apollo-require-preflight: 1`.
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    formatError,
    // Each rule measures a fragment once and reuses it: linear in the document, never re-expanded.
    validationRules: [
      depthLimitRule(limits.maxDepth),
      aliasLimitRule(limits.maxAliases),
      directiveLimitRule(limits.maxDirectives),
    ],
    plugins: [
      // Runs once variables are known and before execution: the cost limit and every TimeWindow.
      // It sets ctx.cost synchronously, so the access plugin listed after it charges that cost.
      costLimitPlugin(readCostTable(schema), limits),
      // Before observabilityPlugin, whose willSendResponse stamps request ids on the final errors.
      ceilingPlugin(),
      accessPlugin({
        rateLimiter: observedRateLimiter(createCostRateLimiter(config.rateLimit), metrics),
        costOf: (ctx) => ctx.cost ?? 1,
        maxCost: limits.maxCost,
      }),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: stopGracePeriodMs }),
      // The cache-control plugin runs on every field and costs about a third of throughput; we set no hints.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      observabilityPlugin(),
    ],
  });
}
