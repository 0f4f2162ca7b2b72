import { HyperstackApi } from '../../../../../src/providers/hyperstack/api.js';
import type { HyperstackResourceModel } from '../../../../../src/providers/hyperstack/models.js';
import { contextOf } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

export const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

/**
 * A Hyperstack source "hs" whose API answers each given method with its name (so a test sees
 * which one a field called), and a resource of `typename` on it.
 */
export function resourceOn<T extends HyperstackResourceModel>(
  typename: T['__typename'],
  type: string,
  methods: readonly string[],
) {
  const { api, calls } = apiAs(HyperstackApi, Object.fromEntries(methods.map((m) => [m, async () => m])));
  const { ctx, source } = contextOf([{ id: 'hs', provider: 'HYPERSTACK', api }]);
  const resource = {
    __typename: typename,
    type,
    source: source('hs'),
    id: 'r',
    providerId: '7',
    accountProviderId: '42',
  } as T;
  return { ctx, calls, resource };
}
