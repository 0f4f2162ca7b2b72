import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../src/config.js';
import { createGatewaySchema } from '../../../../src/gatewaySchema.js';
import { costLimitPlugin } from '../../../../src/schema/limits/costLimitPlugin.js';
import { readCostTable } from '../../../../src/schema/limits/costTable.js';

const schema = createGatewaySchema();
const table = readCostTable(schema);
const limits = configSchema.shape.limits.parse(undefined);

/** Runs the plugin's didResolveOperation as Apollo would, on a stand-in context. */
async function resolveOperation(
  query: string,
  variables: Record<string, unknown> = {},
  overrides: Partial<typeof limits> = {},
) {
  const plugin = costLimitPlugin(table, { ...limits, ...overrides });
  const listener = await plugin.requestDidStart!({} as never);
  const document = parse(query);
  const contextValue = { sources: [{ id: 'g8', provider: 'OPENVCLOUD' }], cost: null as number | null };
  await listener!.didResolveOperation!({
    operation: getOperationAST(document),
    document,
    request: { variables },
    schema,
    contextValue,
  } as never);
  return contextValue;
}

describe('costLimitPlugin', () => {
  it('leaves the estimate on the context for whoever charges by cost', async () => {
    expect((await resolveOperation(`{ sources { id } }`)).cost).toBe(1);
    expect(
      (await resolveOperation(`query($n: Int) { accounts(first: $n) { edges { node { id } } } }`, { n: 2 })).cost,
    ).toBe(10 + 1 + 2 * 2);
  });

  it('refuses past limits.maxCost with the estimate, the limit, and an HTTP 400 for Apollo', async () => {
    const refusal = resolveOperation(`{ accounts(first: 2) { edges { node { id } } } }`, {}, { maxCost: 14 });
    await expect(refusal).rejects.toMatchObject({
      message:
        "The operation's estimated cost is 15; the limit is 14 (limits.maxCost). Ask for fewer or shorter lists, shorter windows or a coarser granularity, or split the query.",
      extensions: { code: 'QUERY_TOO_COMPLEX', cost: 15, maxCost: 14, http: { status: 400 } },
    });
  });

  it('refuses a bad window as BAD_USER_INPUT with an HTTP 400, keeping the argument name', async () => {
    const refusal = resolveOperation(`query($w: TimeWindow!) { usageReport(window: $w) { totals { amount } } }`, {
      w: { start: '2026-10-02T00:00:00Z', end: '2026-10-01T00:00:00Z' },
    });
    await expect(refusal).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'window', http: { status: 400 } },
    });
  });

  it('leaves variable errors to execution, which reports them as it always did', async () => {
    expect(
      (
        await resolveOperation(`query($w: TimeWindow!) { usageReport(window: $w) { totals { amount } } }`, {
          w: { start: 'yesterday' },
        })
      ).cost,
    ).toBeNull();
  });
});
