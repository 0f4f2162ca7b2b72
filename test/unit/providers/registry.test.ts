/**
 * The registry is the one place a provider is declared (docs/adding-a-provider.md). The fixtures
 * below are checked by `npm run typecheck` (tsconfig.json includes test/): each
 * `@ts-expect-error` fails the typecheck if its registry stops being an error.
 */
import { GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/config.js';
import { civitai } from '../../../src/providers/civitai/index.js';
import { credentialRules, PROVIDER_MODULES, type ProviderRegistry } from '../../../src/providers/registry.js';
import { theirstack } from '../../../src/providers/theirstack/index.js';
import { gatewaySdlFiles } from '../../../src/gatewaySchema.js';
import { PROVIDER_FINEST_GRANULARITY } from '../../../src/generated/providers.js';
import { ISO_4217 } from '../../../src/lib/rates.js';
import { buildSchemaFromSdl } from '../../../src/schema/sdl.js';
import { SIMULATORS } from '../../../simulators/registry.js';

// The control: the registry as it is compiles (the fixtures below spread it, so a new provider needs no edit here).
void ({ ...PROVIDER_MODULES } satisfies ProviderRegistry);

// A provider left out of the registry does not compile.
const { CIVITAI: _civitai, ...withoutCivitai } = PROVIDER_MODULES;
// @ts-expect-error Property 'CIVITAI' is missing
void (withoutCivitai satisfies ProviderRegistry);

// A key the generated `Provider` does not know (added without `npm run codegen`) does not compile.
// @ts-expect-error Object literal may only specify known properties, and 'ACME' does not exist
void ({ ...PROVIDER_MODULES, ACME: civitai } satisfies ProviderRegistry);

// A module filed under another provider's key does not compile.
// @ts-expect-error Type '"THEIRSTACK"' is not assignable to type '"CIVITAI"'
void ({ ...PROVIDER_MODULES, CIVITAI: theirstack } satisfies ProviderRegistry);

describe('provider registry', () => {
  it('is what config validation accepts, in registry order (src/generated/providers.ts)', () => {
    expect(PROVIDERS).toEqual(Object.keys(PROVIDER_MODULES));
    expect(Object.keys(credentialRules)).toEqual(Object.keys(PROVIDER_MODULES));
  });

  it("is the schema's Provider enum: one value per module, in registry order, described by the module", () => {
    const provider = buildSchemaFromSdl(gatewaySdlFiles()).getType('Provider');
    expect(provider).toBeInstanceOf(GraphQLEnumType);
    const values = (provider as GraphQLEnumType).getValues().map((v) => ({ name: v.name, description: v.description }));
    expect(values).toEqual(
      Object.values(PROVIDER_MODULES).map((m) => ({ name: m.provider, description: m.description })),
    );
    expect(provider?.description).toBe('The upstream billing systems billgraph federates.');
  });

  it('has a simulator for every provider (the second, test-and-demo-only registry)', () => {
    expect(Object.keys(SIMULATORS).sort()).toEqual(Object.keys(PROVIDER_MODULES).sort());
  });

  it('declares the virtual currencies upstreams state costs in, none of them an ISO 4217 code', () => {
    const declared = Object.values(PROVIDER_MODULES).flatMap((m) => m.virtualCurrencies ?? []);
    expect(declared).toEqual(['BUZZ', 'CREDITS']);
    expect(declared.filter((code) => ISO_4217.has(code))).toEqual([]);
  });

  it('generates each provider’s finest granularity for config validation (src/generated/providers.ts)', () => {
    expect(PROVIDER_FINEST_GRANULARITY).toEqual(
      Object.fromEntries(Object.values(PROVIDER_MODULES).map((m) => [m.provider, m.finestGranularity])),
    );
  });
});
