import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.js';
import { createContext } from '../../../src/context.js';
import { createApollo } from '../../../src/gateway/apollo.js';
import { createRequestScope } from '../../../src/requestScope.js';

const G8 = { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:9001', credentials: { token: 't' } };
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function apolloWith(extra: Record<string, unknown> = {}) {
  const config = configSchema.parse({ sources: [G8], ...extra });
  const apollo = createApollo({ config, metrics: undefined, httpServer: createServer(), stopGracePeriodMs: 10 });
  await apollo.start();
  stops.push(() => apollo.stop());
  const run = async (query: string) => {
    const scope = createRequestScope({ requestId: 'req-a' });
    const response = await apollo.executeOperation(
      { query },
      { contextValue: createContext(new Map(), config.limits, scope) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };
  return run;
}

describe('the Apollo server of the gateway', () => {
  it('answers a query over the gateway schema', async () => {
    const run = await apolloWith();
    expect((await run('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('stamps the request id on errors and hides schema hints (our formatError and plugin are installed)', async () => {
    const run = await apolloWith();
    const { errors } = await run('{ sourcez { id } }');
    expect(errors).toHaveLength(1);
    expect(errors![0]!.message).not.toMatch(/Did you mean/);
    expect(errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', requestId: 'req-a' });
  });

  it('refuses introspection unless the config allows it', async () => {
    const off = await apolloWith({ introspection: false });
    expect((await off('{ __schema { queryType { name } } }')).errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const on = await apolloWith({ introspection: true });
    expect((await on('{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it('refuses a document with more aliases than limits.maxAliases with QUERY_TOO_COMPLEX', async () => {
    const run = await apolloWith({ limits: { maxAliases: 2 } });
    const { errors } = await run('{ a: __typename b: __typename c: __typename d: __typename }');
    expect(errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});
