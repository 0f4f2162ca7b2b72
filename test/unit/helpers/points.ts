import type { Money } from '../../../src/lib/money.js';
import type { ConsumptionPointModel, ResourceModel, SourceModel } from '../../../src/models.js';

/** A consumption point with only what resolvers read (its cost) being meaningful. */
export const pointCosting = (source: SourceModel, cost: Money | null, metric = 'cpu'): ConsumptionPointModel => ({
  source,
  start: '2026-10-01T00:00:00Z',
  end: '2026-11-01T00:00:00Z',
  metric,
  quantity: '1',
  unit: 'h',
  cost,
  accountProviderId: 'acc',
  resource: null as ResourceModel | null,
  isFinal: true,
});

export const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
