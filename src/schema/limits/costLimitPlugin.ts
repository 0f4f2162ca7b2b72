import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { getVariableValues, GraphQLError } from 'graphql';
import type { Config } from '../../config.js';
import type { Context } from '../../context.js';
import { ErrorCode, GatewayError, isGatewayError } from '../../errors.js';
import type { CostTable } from './costTable.js';
import { estimateCost } from './estimateCost.js';

/**
 * Apollo answers an error thrown from didResolveOperation with HTTP 500 unless the error names
 * its status; formatError strips `http` again so it never reaches the body.
 */
const asRequestError = (error: GatewayError): GatewayError =>
  new GatewayError(error.message, error.code, { ...error.extensions, http: { status: 400 } });

/**
 * Estimates each operation's cost once its variables are known and before anything executes:
 * refuses it past limits.maxCost, refuses a bad TimeWindow (or an HOUR window past its cap) with
 * zero upstream calls, and leaves the estimate on ctx.cost for whoever charges by it.
 */
export function costLimitPlugin(table: CostTable, limits: Config['limits']): ApolloServerPlugin<Context> {
  const listener: GraphQLRequestListener<Context> = {
    async didResolveOperation({ operation, document, request, schema, contextValue }) {
      if (!operation) return;
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
        maxErrors: 1,
      });
      // Execution reports variable errors itself, as it always did, before any resolver runs.
      if (coerced.errors) return;
      let estimate: number;
      try {
        estimate = estimateCost({
          schema,
          table,
          document,
          operation,
          variables: coerced.coerced,
          limits,
          sources: contextValue.sources,
        });
      } catch (error) {
        if (isGatewayError(error)) throw asRequestError(error);
        // graphql-js's own argument coercion (e.g. an explicit null for a variable whose default
        // made it fit a non-null position) is the caller's to fix, never a 500.
        if (error instanceof GraphQLError)
          throw asRequestError(new GatewayError(error.message, ErrorCode.BAD_USER_INPUT));
        throw error;
      }
      // A finite, exact integer, so a limiter charging by it never sees Infinity. Set before any
      // await: Apollo starts every plugin's didResolveOperation at once, so a plugin listed after
      // this one already sees ctx.cost in its own.
      const cost = Math.min(Math.ceil(estimate), Number.MAX_SAFE_INTEGER);
      contextValue.cost = cost;
      if (cost > limits.maxCost) {
        throw new GatewayError(
          `The operation's estimated cost is ${cost}; the limit is ${limits.maxCost} (limits.maxCost). Ask for fewer or shorter lists, shorter windows or a coarser granularity, or split the query.`,
          ErrorCode.QUERY_TOO_COMPLEX,
          { cost, maxCost: limits.maxCost, http: { status: 400 } },
        );
      }
    },
  };
  return { requestDidStart: async () => listener };
}
