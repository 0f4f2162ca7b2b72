import { GraphQLError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { trackAccess } from '../../../src/gateway/accessRecord.js';
import { formatError } from '../../../src/gateway/formatError.js';
import { observabilityPlugin } from '../../../src/gateway/observabilityPlugin.js';
import { createRequestScope } from '../../../src/requestScope.js';
import { captureLogs } from './logCapture.js';

type Listeners = {
  didResolveOperation(args: unknown): Promise<void>;
  didEncounterErrors(args: unknown): Promise<void>;
  willSendResponse(args: unknown): Promise<void>;
};

/** The plugin's listeners for one request, with a context whose partial errors the test gives. */
async function start(partial: Array<{ message: string }> = [], tracked = true) {
  const scope = createRequestScope({ requestId: 'req-o' });
  const record = tracked ? trackAccess(scope) : undefined;
  const contextValue = { scope, partial: { size: partial.length, formatted: () => partial } };
  const plugin = observabilityPlugin();
  const listeners = (await plugin.requestDidStart!({ contextValue } as never)) as unknown as Listeners;
  return { listeners, record };
}

const single = (singleResult: Record<string, unknown>) => ({ response: { body: { kind: 'single', singleResult } } });

describe('the observability plugin', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it('records the resolved operation name and type for the access line', async () => {
    const { listeners, record } = await start();
    await listeners.didResolveOperation({ operationName: 'Usage', operation: { operation: 'query' } });
    expect(record).toMatchObject({ operation: 'Usage', operationType: 'query' });
  });

  it('stamps the request id on every error of the answer, collects their codes and marks the record stamped', async () => {
    const { listeners, record } = await start();
    const result = { data: null, errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] };
    await listeners.willSendResponse(single(result));
    expect(result.errors).toEqual([{ message: 'bad', extensions: { code: 'BAD_USER_INPUT', requestId: 'req-o' } }]);
    expect([...record!.codes]).toEqual(['BAD_USER_INPUT']);
    expect(record!.stamped).toBe(true);
  });

  it('names the parts a source could not give at the top level when there is data', async () => {
    const { listeners } = await start([{ message: 'Hyperstack is unavailable.' }]);
    const result: { data: unknown; errors?: unknown[] } = { data: { a: 1 } };
    await listeners.willSendResponse(single(result));
    expect(result.errors).toEqual([{ message: 'Hyperstack is unavailable.', extensions: { requestId: 'req-o' } }]);
  });

  it('leaves an answer without errors as it is', async () => {
    const { listeners } = await start();
    const result: { data: unknown; errors?: unknown[] } = { data: { a: 1 } };
    await listeners.willSendResponse(single(result));
    expect(result.errors).toBeUndefined();
  });

  it('logs each unexpected error once, with the request id, operation and path, and formatError then stays quiet', async () => {
    const { listeners } = await start();
    const unexpected = new GraphQLError('boom', { originalError: new TypeError('boom'), path: ['a', 'b'] });
    const ours = new GraphQLError('bad', { originalError: new BadUserInputError('bad') });
    await listeners.didEncounterErrors({ errors: [unexpected, ours], operationName: 'Usage' });
    expect(logs.lines.map((l) => [l.message, l.requestId, l.operation, l.path])).toEqual([
      ['unexpected error', 'req-o', 'Usage', 'a.b'],
    ]);
    formatError(unexpected.toJSON(), unexpected);
    expect(logs.lines).toHaveLength(1);
  });

  it('works for a request the HTTP layer did not track (no record to fill)', async () => {
    const { listeners } = await start([], false);
    const result = { errors: [{ message: 'x', extensions: { code: 'BAD_REQUEST' } }] };
    await listeners.willSendResponse(single(result));
    expect(result.errors[0]!.extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'req-o' });
  });
});
