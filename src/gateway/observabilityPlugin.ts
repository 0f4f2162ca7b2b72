import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import { logger } from '../logger.js';
import { accessRecordOf, boundedOperationName } from './accessRecord.js';
import { causeOf, isUnexpectedError, noteLogged } from './formatError.js';

/**
 * Request ids in every error, one access line per request, and the real cause of every
 * unexpected error (with the request id) in the log.
 */
export function observabilityPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const { scope } = contextValue;
      const record = accessRecordOf(scope);
      return {
        async didResolveOperation({ operationName, operation }) {
          if (record) {
            record.operation = boundedOperationName(operationName);
            record.operationType = operation?.operation;
          }
        },
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            if (!isUnexpectedError(error)) continue;
            noteLogged(error);
            logger.error('unexpected error', {
              requestId: scope.requestId,
              operation: boundedOperationName(operationName),
              ...(error.path ? { path: error.path.join('.').slice(0, 200) } : {}),
              error: causeOf(error),
            });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          // A part a source could not give is named at the top level whatever the client selected.
          if (contextValue.partial.size > 0 && singleResult.data !== undefined) {
            singleResult.errors = [...(singleResult.errors ?? []), ...contextValue.partial.formatted()];
          }
          if (singleResult.errors?.length) {
            singleResult.errors = singleResult.errors.map((e) => {
              const code = e.extensions?.code;
              if (record && typeof code === 'string') record.codes.add(code);
              return { ...e, extensions: { ...e.extensions, requestId: scope.requestId } };
            });
          }
          if (record) record.stamped = true;
        },
      };
    },
  };
}
