import { GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coreResolvers, mergeResolvers, type SchemaPart } from '../../../src/schema/index.js';

const part = (name: string, resolvers: SchemaPart['resolvers']): SchemaPart => ({ name, sdl: [], resolvers });
const resolve = () => [];

describe('mergeResolvers', () => {
  it("adds each part's fields to the core's types, keeping the core's", () => {
    const merged = mergeResolvers([part('A', { Account: { cloudspaces: resolve } })]);
    expect(Object.keys(merged.Account as object)).toEqual([
      ...Object.keys(coreResolvers.Account as object),
      'cloudspaces',
    ]);
    expect((merged.Account as Record<string, unknown>).cloudspaces).toBe(resolve);
  });

  it('adds the types only a part defines', () => {
    const merged = mergeResolvers([part('A', { Cloudspace: { machines: resolve } })]);
    expect((merged.Cloudspace as Record<string, unknown>).machines).toBe(resolve);
  });

  it('refuses a field two parts resolve, naming both', () => {
    expect(() =>
      mergeResolvers([
        part('A', { Account: { cloudspaces: resolve } }),
        part('B', { Account: { cloudspaces: resolve } }),
      ]),
    ).toThrow('B and A both resolve Account.cloudspaces; a field has one owner.');
  });

  it('refuses a part that resolves a core field', () => {
    expect(() => mergeResolvers([part('A', { Account: { cost: resolve } })])).toThrow(
      'A and core both resolve Account.cost',
    );
  });

  it('refuses a part that redefines a core scalar', () => {
    const scalar = new GraphQLScalarType({ name: 'Decimal' });
    expect(() => mergeResolvers([part('A', { Decimal: scalar })])).toThrow('A redefines the scalar Decimal.');
  });
});
