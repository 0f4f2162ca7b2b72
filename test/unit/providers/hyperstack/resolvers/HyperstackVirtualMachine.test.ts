import { describe, expect, it } from 'vitest';
import { HyperstackVirtualMachine } from '../../../../../src/providers/hyperstack/resolvers/HyperstackVirtualMachine.js';
import type { HyperstackVirtualMachineModel } from '../../../../../src/providers/hyperstack/models.js';
import { resolverFn } from '../../../helpers/context.js';
import { OCTOBER, resourceOn } from './fakeResource.js';

/**
 * Arguments without the fields the schema gives a default: GraphQL always passes those, so the
 * resolver's own fallback is reached only by a caller like this one.
 */
const NO_DEFAULTS = (args: object) => args as never;

const vm = () =>
  resourceOn<HyperstackVirtualMachineModel>('HyperstackVirtualMachine', 'VIRTUAL_MACHINE', [
    'billingDetails',
    'billingEvents',
    'subResourceCosts',
    'subResourceConsumption',
  ]);

describe('HyperstackVirtualMachine', () => {
  it('answers billingDetails and billingEvents from the API over the validated window', async () => {
    const { ctx, calls, resource } = vm();
    expect(await resolverFn(HyperstackVirtualMachine.billingDetails)(resource, { window: OCTOBER }, ctx)).toBe(
      'billingDetails',
    );
    expect(await resolverFn(HyperstackVirtualMachine.billingEvents)(resource, { window: OCTOBER }, ctx)).toBe(
      'billingEvents',
    );
    expect(calls).toEqual([
      ['billingDetails', resource, ctx.window(OCTOBER)],
      ['billingEvents', resource, ctx.window(OCTOBER)],
    ]);
  });

  it('answers subResourceCosts over the window and subResourceConsumption bucketed, TOTAL by default', async () => {
    const { ctx, calls, resource } = vm();
    expect(await resolverFn(HyperstackVirtualMachine.subResourceCosts)(resource, { window: OCTOBER }, ctx)).toBe(
      'subResourceCosts',
    );
    const consumption = resolverFn(HyperstackVirtualMachine.subResourceConsumption);
    expect(await consumption(resource, NO_DEFAULTS({ window: OCTOBER }), ctx)).toEqual('subResourceConsumption');
    expect(await consumption(resource, { window: OCTOBER, granularity: 'DAY' }, ctx)).toEqual('subResourceConsumption');
    expect(calls[0]).toEqual(['subResourceCosts', resource, ctx.window(OCTOBER)]);
    expect(
      calls
        .slice(1)
        .map(([name, , b]) => [
          name,
          (b as { granularity: string; buckets: unknown[] }).granularity,
          (b as { buckets: unknown[] }).buckets.length,
        ]),
    ).toEqual([
      ['subResourceConsumption', 'TOTAL', 1],
      ['subResourceConsumption', 'DAY', 31],
    ]);
  });

  it('has the shared Resource fields', async () => {
    const { ctx, resource } = vm();
    expect(await resolverFn(HyperstackVirtualMachine.provider)(resource, {}, ctx)).toBe('HYPERSTACK');
  });
});
