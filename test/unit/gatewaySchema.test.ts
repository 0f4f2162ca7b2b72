import { describe, expect, it } from 'vitest';
import {
  createGatewaySchema,
  gatewaySdlFiles,
  PROVIDER_ENUM_SDL_NAME,
  providerSchemaParts,
} from '../../src/gatewaySchema.js';
import { REGISTERED_PROVIDERS } from '../../src/providers/registry.js';
import { readSchemaFiles } from '../../src/schema/sdl.js';

describe('providerSchemaParts', () => {
  it('is the registry’s Provider values, then one part per provider that adds to the schema, in registry order', () => {
    const [registry, ...parts] = providerSchemaParts();
    expect(registry!.name).toBe('registry');
    expect(registry!.sdl.map((f) => f.name)).toEqual([PROVIDER_ENUM_SDL_NAME]);
    for (const provider of REGISTERED_PROVIDERS) expect(registry!.sdl[0]!.sdl).toContain(`  ${provider}\n`);
    const names = parts.map((p) => p.name);
    expect(names).toEqual(['OPENVCLOUD', 'KILLBILL', 'HYPERSTACK']);
    expect(names).toEqual(REGISTERED_PROVIDERS.filter((p) => names.includes(p)));
  });

  it('reads each part’s SDL from the provider’s folder, named by its path from the project root', () => {
    const killbill = providerSchemaParts().find((p) => p.name === 'KILLBILL')!;
    expect(killbill.sdl.map((f) => f.name)).toEqual(['src/providers/killbill/schema.graphql']);
    expect(killbill.sdl[0]!.sdl).toContain('recordUsage');
    expect(Object.keys(killbill.resolvers).sort()).toEqual(['Account', 'Mutation', 'Query', 'Subscription']);
  });
});

describe('gatewaySdlFiles', () => {
  it('is the core’s SDL files followed by each given part’s, in order', () => {
    const core = readSchemaFiles().map((f) => f.name);
    const parts = [
      { name: 'A', sdl: [{ name: 'a.graphql', sdl: 'type A { a: Int }' }], resolvers: {} },
      { name: 'B', sdl: [{ name: 'b.graphql', sdl: 'type B { b: Int }' }], resolvers: {} },
    ];
    expect(gatewaySdlFiles(parts).map((f) => f.name)).toEqual([...core, 'a.graphql', 'b.graphql']);
  });

  it('defaults to the registered providers’ parts', () => {
    expect(
      gatewaySdlFiles()
        .map((f) => f.name)
        .slice(-3),
    ).toEqual([
      'src/providers/openvcloud/schema.graphql',
      'src/providers/killbill/schema.graphql',
      'src/providers/hyperstack/schema.graphql',
    ]);
  });
});

describe('createGatewaySchema', () => {
  it('builds the core with every provider’s types and fields', () => {
    const schema = createGatewaySchema();
    expect(schema.getType('Machine')).toBeDefined();
    expect(schema.getType('Subscription')).toBeDefined();
    expect(schema.getType('HyperstackVirtualMachine')).toBeDefined();
    expect(Object.keys(schema.getMutationType()!.getFields())).toContain('recordUsage');
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(
      expect.arrayContaining(['node', 'accounts', 'usageReport', 'subscription']),
    );
  });
});
