import { describe, expect, it } from 'vitest';
import type { HyperstackOrganizationBillingModel } from '../../../../../src/providers/hyperstack/models.js';
import { HyperstackOrganizationBilling } from '../../../../../src/providers/hyperstack/resolvers/HyperstackOrganizationBilling.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';

const billing = (fields: Partial<HyperstackOrganizationBillingModel>) =>
  ({ graphUnavailable: false, incurredBillGraph: null, ...fields }) as HyperstackOrganizationBillingModel;

const { ctx } = contextOf([{ id: 'hs', provider: 'HYPERSTACK', api: emptyApi() }]);
const graph = resolverFn(HyperstackOrganizationBilling.incurredBillGraph);

describe('HyperstackOrganizationBilling.incurredBillGraph', () => {
  it('is a copy of the daily points', async () => {
    const points = [{ at: '2026-10-01T00:00:00Z', amount: { amount: '5.25', currency: 'USD' } }];
    const answer = await graph(billing({ incurredBillGraph: points }), {}, ctx);
    expect(answer).toEqual(points);
    expect(answer).not.toBe(points);
  });

  it('is null when the graph was not asked for', async () => {
    expect(await graph(billing({}), {}, ctx)).toBeNull();
  });

  it('is NOT_FOUND, saying what to ask instead, when the graph was asked for and Hyperstack sent none', async () => {
    await expect(graph(billing({ graphUnavailable: true, incurredBillGraph: [] }), {}, ctx)).rejects.toMatchObject({
      message:
        'Hyperstack sent no incurred_bill_graph for this window: the daily points are not available (Account.consumption with granularity DAY computes them from one organization-history call per day).',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});
