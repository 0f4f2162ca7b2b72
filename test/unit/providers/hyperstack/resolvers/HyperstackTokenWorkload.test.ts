import { describe, expect, it } from 'vitest';
import { HyperstackTokenWorkload } from '../../../../../src/providers/hyperstack/resolvers/HyperstackTokenWorkload.js';
import type { HyperstackTokenWorkloadModel } from '../../../../../src/providers/hyperstack/models.js';
import { resolverFn } from '../../../helpers/context.js';
import { OCTOBER, resourceOn } from './fakeResource.js';

describe('HyperstackTokenWorkload', () => {
  it('answers billing from the list row and billingDetails from the details, both as token billing', async () => {
    const { ctx, calls, resource } = resourceOn<HyperstackTokenWorkloadModel>(
      'HyperstackTokenWorkload',
      'SERVERLESS_INFERENCE',
      ['tokenBilling'],
    );
    expect(await resolverFn(HyperstackTokenWorkload.billing)(resource, { window: OCTOBER }, ctx)).toBe('tokenBilling');
    expect(await resolverFn(HyperstackTokenWorkload.billingDetails)(resource, { window: OCTOBER }, ctx)).toBe(
      'tokenBilling',
    );
    expect(calls).toEqual([
      ['tokenBilling', resource, ctx.window(OCTOBER), false],
      ['tokenBilling', resource, ctx.window(OCTOBER), true],
    ]);
  });
});
