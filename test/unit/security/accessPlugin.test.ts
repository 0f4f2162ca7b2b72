import { OperationTypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/context.js';
import { GatewayError } from '../../../src/errors.js';
import { createRequestScope } from '../../../src/requestScope.js';
import { accessPlugin } from '../../../src/security/accessPlugin.js';
import type { CostRateLimiter } from '../../../src/security/costRateLimiter.js';
import { LOCAL_TENANT, type Tenant } from '../../../src/security/tenantAuth.js';

const READER: Tenant = { name: 'finance', sources: null, canWrite: false };
const WRITER: Tenant = { name: 'metering', sources: null, canWrite: true };

/** A limiter that records its charges; `refuse` makes charge() reject with it. */
function recordingLimiter(refuse?: Error) {
  const charges: string[] = [];
  const limiter: CostRateLimiter = {
    async charge(tenant, cost) {
      charges.push(`charge ${tenant} ${cost}`);
      if (refuse) throw refuse;
    },
    async chargeExtra(tenant, cost) {
      charges.push(`extra ${tenant} ${cost}`);
    },
  };
  return { limiter, charges };
}

type Hooks = {
  didResolveOperation(request: unknown): Promise<void>;
  willSendResponse(request: unknown): Promise<void>;
};

/**
 * One request through the plugin's hooks, as Apollo Server calls them: the operation resolved,
 * then the response about to be sent after `upstreamCalls` upstream attempts.
 */
async function runRequest(options: {
  tenant: Tenant;
  operation: OperationTypeNode;
  cost: number;
  maxCost?: number;
  upstreamCalls?: number;
  refuse?: Error;
}) {
  const { limiter, charges } = recordingLimiter(options.refuse);
  const plugin = accessPlugin({
    rateLimiter: limiter,
    costOf: (ctx) => ctx.cost ?? -1,
    maxCost: options.maxCost ?? 1000,
  });
  const scope = createRequestScope();
  const contextValue = { tenant: options.tenant, cost: options.cost, scope } as unknown as Context;
  const hooks = (await plugin.requestDidStart!({ contextValue } as never)) as unknown as Hooks;
  let error: unknown;
  try {
    await hooks.didResolveOperation({ operation: { operation: options.operation }, contextValue });
  } catch (e) {
    error = e;
  }
  scope.upstreamCalls = options.upstreamCalls ?? 0;
  await hooks.willSendResponse({ contextValue });
  return { charges, error };
}

describe('accessPlugin', () => {
  it('charges a tenant’s query its estimated cost', async () => {
    const { charges, error } = await runRequest({ tenant: READER, operation: OperationTypeNode.QUERY, cost: 35 });
    expect(error).toBeUndefined();
    expect(charges).toEqual(['charge finance 35', 'extra finance -35']);
  });

  it('adds the upstream calls actually made beyond the estimate, at 10 cost units per call', async () => {
    const { charges } = await runRequest({
      tenant: READER,
      operation: OperationTypeNode.QUERY,
      cost: 35,
      upstreamCalls: 5,
    });
    expect(charges).toEqual(['charge finance 35', 'extra finance 15']);
  });

  it('counts a free operation as a charge of 1 when settling the upstream calls', async () => {
    const { charges } = await runRequest({
      tenant: READER,
      operation: OperationTypeNode.QUERY,
      cost: 0,
      upstreamCalls: 2,
    });
    expect(charges).toEqual(['charge finance 0', 'extra finance 19']);
  });

  it('refuses a mutation from a read-only tenant with FORBIDDEN and HTTP 403, charging nothing', async () => {
    const { charges, error } = await runRequest({ tenant: READER, operation: OperationTypeNode.MUTATION, cost: 12 });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      message: 'Tenant "finance" may only read; mutations need a key whose tenant has the "write" scope.',
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
    expect(charges).toEqual([]);
  });

  it('lets a tenant with the write scope run a mutation, charging it', async () => {
    const { charges, error } = await runRequest({ tenant: WRITER, operation: OperationTypeNode.MUTATION, cost: 12 });
    expect(error).toBeUndefined();
    expect(charges).toEqual(['charge metering 12', 'extra metering -12']);
  });

  it('charges nothing for an operation over maxCost, which the cost limit refuses anyway', async () => {
    const { charges, error } = await runRequest({
      tenant: READER,
      operation: OperationTypeNode.QUERY,
      cost: 1001,
      maxCost: 1000,
      upstreamCalls: 3,
    });
    expect(error).toBeUndefined();
    expect(charges).toEqual([]);
  });

  it('charges an operation exactly at maxCost', async () => {
    const { charges } = await runRequest({ tenant: READER, operation: OperationTypeNode.QUERY, cost: 1000 });
    expect(charges[0]).toBe('charge finance 1000');
  });

  it('never budgets the keyless local tenant, mutations included', async () => {
    for (const operation of [OperationTypeNode.QUERY, OperationTypeNode.MUTATION]) {
      const { charges, error } = await runRequest({ tenant: LOCAL_TENANT, operation, cost: 50, upstreamCalls: 9 });
      expect(error).toBeUndefined();
      expect(charges).toEqual([]);
    }
  });

  it('passes the limiter’s refusal on and then adds no extra charge', async () => {
    const refusal = new GatewayError('over budget', 'RATE_LIMITED');
    const { charges, error } = await runRequest({
      tenant: READER,
      operation: OperationTypeNode.QUERY,
      cost: 20,
      upstreamCalls: 4,
      refuse: refusal,
    });
    expect(error).toBe(refusal);
    expect(charges).toEqual(['charge finance 20']);
  });
});
